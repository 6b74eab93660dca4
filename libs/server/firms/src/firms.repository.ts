import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { FirmSize } from './dto/firms.dto';
import { logoVersionSql } from './logo';

export interface FirmRow {
  id: string;
  name: string;
  slug: string;
  status: 'pending' | 'approved';
  contact_name: string;
  contact_email: string;
  phone: string;
  size: FirmSize;
  portal_name: string | null;
  portal_accent: string | null;
  /** Seconds since the epoch of the logo's last change, or null without a logo (the bytes are never read here). */
  logo_version: string | null;
  created_at: Date;
  approved_at: Date | null;
}

/** Every column but the logo's bytes. */
const FIRM_COLUMNS = `id, name, slug, status, contact_name, contact_email, phone, size, portal_name, portal_accent, created_at, approved_at,
  ${logoVersionSql()} AS logo_version`;

/** Firms are the tenants themselves: these queries are by the firm's own id, slug or contact. */
@Injectable()
export class FirmsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(
    m: EntityManager,
    f: { name: string; slug: string; contactName: string; contactEmail: string; phone: string; size: FirmSize },
  ): Promise<FirmRow> {
    const rows: FirmRow[] = await m.query(
      `INSERT INTO firms (name, slug, contact_name, contact_email, phone, size)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${FIRM_COLUMNS}`,
      [f.name, f.slug, f.contactName, f.contactEmail, f.phone, f.size],
    );
    return rows[0];
  }

  /**
   * Serialises applications until the transaction ends, so two at once can neither pick the same
   * free slug nor both pass the "email already registered" check.
   */
  async lockApplications(m: EntityManager): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('ledgerport:firm-applications'))`);
  }

  /** The slug is free when no firm has it. */
  async slugTaken(m: EntityManager, slug: string): Promise<boolean> {
    const rows: unknown[] = await m.query(`SELECT 1 FROM firms WHERE slug = $1`, [slug]);
    return rows.length > 0;
  }

  async emailHasLogin(m: EntityManager, email: string): Promise<boolean> {
    const rows: unknown[] = await m.query(`SELECT 1 FROM users WHERE email = $1`, [email.toLowerCase()]);
    return rows.length > 0;
  }

  async pendingApplicationFor(m: EntityManager, email: string): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `SELECT 1 FROM firms WHERE lower(contact_email) = $1 AND status = 'pending'`,
      [email.toLowerCase()],
    );
    return rows.length > 0;
  }

  /** By id, or by the applicant's email (newest application first). */
  async findForOperator(m: EntityManager, idOrEmail: string, lock = false): Promise<FirmRow | undefined> {
    const byId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrEmail);
    const rows: FirmRow[] = await m.query(
      `SELECT ${FIRM_COLUMNS} FROM firms WHERE ${byId ? 'id = $1' : 'lower(contact_email) = lower($1)'}
        ORDER BY (status = 'pending') DESC, created_at DESC LIMIT 1 ${lock ? 'FOR UPDATE' : ''}`,
      [idOrEmail],
    );
    return rows[0];
  }

  list(status?: 'pending' | 'approved'): Promise<FirmRow[]> {
    return this.db.query(`SELECT ${FIRM_COLUMNS} FROM firms WHERE ($1::text IS NULL OR status = $1) ORDER BY created_at DESC LIMIT 500`, [
      status ?? null,
    ]);
  }

  async findApprovedBySlug(slug: string): Promise<FirmRow | undefined> {
    const rows: FirmRow[] = await this.db.query(`SELECT ${FIRM_COLUMNS} FROM firms WHERE slug = $1 AND status = 'approved'`, [slug]);
    return rows[0];
  }

  async findById(firmId: string): Promise<FirmRow | undefined> {
    const rows: FirmRow[] = await this.db.query(`SELECT ${FIRM_COLUMNS} FROM firms WHERE id = $1`, [firmId]);
    return rows[0];
  }

  async markApproved(m: EntityManager, firmId: string): Promise<FirmRow> {
    const rows: [FirmRow[], number] = await m.query(
      `UPDATE firms SET status = 'approved', approved_at = now(), updated_at = now() WHERE id = $1 RETURNING ${FIRM_COLUMNS}`,
      [firmId],
    );
    return rows[0][0];
  }
}

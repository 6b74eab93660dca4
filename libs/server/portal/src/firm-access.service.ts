import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import { AppException } from '@ledgerport/server/errors';
import { ActivityService } from '@ledgerport/server/audit';
import { firmAccessGrantedEmail, firmAccessRevokedEmail, MailService, type QueuedEmail } from '@ledgerport/server/notifications';
import type { ContactPrincipal, Membership } from './contact-session.store';
import { membershipOf } from './contact.guard';
import type { DirectoryFirmDto, FirmAccessDto } from './dto/portal.dto';
import { PortalErrorCode } from './portal.errors';

interface AccessRow {
  firm_id: string;
  firm_name: string;
  firm_slug: string;
  client_id: string;
  granted_at: Date;
}

/**
 * T2: a business owner gives a firm access to their business (the firm gets a client row linked
 * to the same business), or takes it away (the firm's row becomes 'revoked' and leaves its lists).
 */
@Injectable()
export class FirmAccessService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly mail: MailService,
    private readonly activity: ActivityService,
  ) {}

  async directory(q: string): Promise<DirectoryFirmDto[]> {
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return this.db.query(
      `SELECT id, name, slug FROM firms WHERE status = 'approved' AND (name ILIKE $1 OR slug ILIKE $1) ORDER BY name LIMIT 10`,
      [pattern],
    );
  }

  async list(p: ContactPrincipal, businessId: string): Promise<FirmAccessDto[]> {
    const own = this.ownerOf(p, businessId);
    const rows = await this.accessRows(this.db.manager, businessId);
    return rows.map((r) => toDto(r, own));
  }

  async grant(p: ContactPrincipal, businessId: string, firmId: string): Promise<FirmAccessDto> {
    const own = this.ownerOf(p, businessId);
    const { dto, staged } = await this.db.transaction(async (m) => {
      const [src]: { business_id: string; name: string }[] = await m.query(`SELECT business_id, name FROM clients WHERE id = $1`, [businessId]);
      // One change of a business's firms at a time, whichever firm's portal it comes from.
      await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`business:${src.business_id}`]);
      const [firm]: { id: string; name: string; slug: string }[] = await m.query(
        `SELECT id, name, slug FROM firms WHERE id = $1 AND status = 'approved'`,
        [firmId],
      );
      if (!firm) throw new AppException(HttpStatus.NOT_FOUND, PortalErrorCode.FIRM_NOT_FOUND, 'There is no such firm on Ledgerport.');
      const [existing]: { id: string; status: string }[] = await m.query(
        `SELECT id, status FROM clients WHERE firm_id = $1 AND business_id = $2`,
        [firm.id, src.business_id],
      );
      if (existing && existing.status !== 'revoked') {
        throw new AppException(
          HttpStatus.CONFLICT,
          PortalErrorCode.FIRM_ALREADY_HAS_ACCESS,
          `${firm.name} already has access to ${src.name}.`,
        );
      }
      let clientId: string;
      if (existing) {
        clientId = existing.id;
        await m.query(
          `UPDATE clients SET status = 'active', revoked_at = NULL, archived_at = NULL, access_granted_at = now(), updated_at = now() WHERE id = $1`,
          [clientId],
        );
      } else {
        clientId = await this.insertWithFreeName(m, firm.id, src.name, src.business_id, own.email);
      }
      // The owner who granted access is the new client's owner contact, active at once.
      await m.query(
        `INSERT INTO client_contacts (firm_id, client_id, contact_id, name, role, is_primary, status, activated_at)
         VALUES ($1, $2, $3, $4, 'owner', NOT EXISTS (SELECT 1 FROM client_contacts WHERE client_id = $2 AND is_primary), 'active', now())
         ON CONFLICT (client_id, contact_id) DO UPDATE SET status = 'active', role = 'owner', deactivated_at = NULL, updated_at = now()`,
        [firm.id, clientId, p.contact.id, own.name],
      );
      const [client]: { name: string; granted_at: Date }[] = await m.query(
        `SELECT name, coalesce(access_granted_at, created_at) AS granted_at FROM clients WHERE id = $1`,
        [clientId],
      );
      await this.activity.record(m, {
        firmId: firm.id,
        actor: null,
        actorName: `${own.name} (client)`,
        action: 'client.access_granted',
        summary: `${own.name}, an owner of ${client.name}, gave ${firm.name} access through the client portal`,
        client: { id: clientId, name: client.name },
        target: { type: 'client', id: clientId },
      });
      const staged = await this.tellAdmins(m, firm.id, (a) =>
        firmAccessGrantedEmail({
          name: a.name,
          firmName: firm.name,
          businessName: client.name,
          ownerName: own.name,
          url: `${this.config.APP_URL.replace(/\/$/, '')}/clients/${clientId}`,
        }),
      );
      return {
        staged,
        dto: toDto({ firm_id: firm.id, firm_name: firm.name, firm_slug: firm.slug, client_id: clientId, granted_at: client.granted_at }, own),
      };
    });
    await this.mail.dispatch(...staged);
    return dto;
  }

  async revoke(p: ContactPrincipal, businessId: string, firmId: string): Promise<void> {
    const own = this.ownerOf(p, businessId);
    const staged = await this.db.transaction(async (m) => {
      const [src]: { business_id: string }[] = await m.query(`SELECT business_id FROM clients WHERE id = $1`, [businessId]);
      await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`business:${src.business_id}`]);
      const [target]: { id: string; name: string; firm_name: string }[] = await m.query(
        `SELECT t.id, t.name, f.name AS firm_name
           FROM clients src JOIN clients t ON t.business_id = src.business_id AND t.firm_id = $2 AND t.status <> 'revoked'
           JOIN firms f ON f.id = t.firm_id
          WHERE src.id = $1 FOR UPDATE OF t`,
        [businessId, firmId],
      );
      if (!target) {
        throw new AppException(HttpStatus.NOT_FOUND, PortalErrorCode.ACCESS_NOT_FOUND, 'That firm does not have access to this business.');
      }
      await m.query(`UPDATE clients SET status = 'revoked', revoked_at = now(), updated_at = now() WHERE id = $1`, [target.id]);
      await this.activity.record(m, {
        firmId,
        actor: null,
        actorName: `${own.name} (client)`,
        action: 'client.access_revoked',
        summary: `${own.name}, an owner of ${target.name}, removed ${target.firm_name}'s access through the client portal`,
        client: { id: target.id, name: target.name },
        target: { type: 'client', id: target.id },
      });
      return this.tellAdmins(m, firmId, (a) =>
        firmAccessRevokedEmail({ name: a.name, firmName: target.firm_name, businessName: target.name, ownerName: own.name }),
      );
    });
    await this.mail.dispatch(...staged);
  }

  private ownerOf(p: ContactPrincipal, businessId: string): Membership & { email: string } {
    const own = membershipOf(p, businessId);
    if (own.role !== 'owner') {
      throw new AppException(
        HttpStatus.FORBIDDEN,
        PortalErrorCode.OWNER_ONLY,
        'Only an owner of this business can choose which firms have access. Ask your bookkeeper to mark you as an owner.',
      );
    }
    return { ...own, email: p.contact.email };
  }

  private accessRows(m: EntityManager, businessId: string): Promise<AccessRow[]> {
    return m.query(
      `SELECT f.id AS firm_id, f.name AS firm_name, f.slug AS firm_slug, t.id AS client_id, coalesce(t.access_granted_at, t.created_at) AS granted_at
         FROM clients src
         JOIN clients t ON t.business_id = src.business_id AND t.status <> 'revoked'
         JOIN firms f ON f.id = t.firm_id AND f.status = 'approved'
        WHERE src.id = $1 ORDER BY f.name`,
      [businessId],
    );
  }

  private async tellAdmins(
    m: EntityManager,
    firmId: string,
    render: (a: { name: string; email: string }) => Parameters<MailService['stage']>[3],
  ): Promise<QueuedEmail[]> {
    const admins: { name: string; email: string }[] = await m.query(
      `SELECT name, email FROM users WHERE firm_id = $1 AND role = 'admin' AND activated_at IS NOT NULL ORDER BY name`,
      [firmId],
    );
    return this.mail.stageMany(m, firmId, admins.map((a) => ({ to: a.email, email: render(a) })));
  }

  /**
   * Creates the firm's client for the business under the business's name or, when the firm already
   * has a client of that name (even one created at this very moment), the name with the owner's email.
   */
  private async insertWithFreeName(m: EntityManager, firmId: string, name: string, businessId: string, email: string): Promise<string> {
    for (const candidate of [name, `${name} (${email})`, `${name} (${email}, ${Date.now().toString(36)})`]) {
      const rows: { id: string }[] = await m.query(
        `INSERT INTO clients (firm_id, name, business_id, access_granted_at) VALUES ($1, $2, $3, now())
         ON CONFLICT DO NOTHING RETURNING id`,
        [firmId, candidate, businessId],
      );
      if (rows[0]) return rows[0].id;
      // Not the name that clashed but the business itself: the firm got access meanwhile.
      const [already]: { name: string }[] = await m.query(`SELECT name FROM clients WHERE firm_id = $1 AND business_id = $2`, [firmId, businessId]);
      if (already) {
        throw new AppException(HttpStatus.CONFLICT, PortalErrorCode.FIRM_ALREADY_HAS_ACCESS, `That firm already has access to ${name}.`);
      }
    }
    throw new Error(`no free client name for business ${businessId} at firm ${firmId}`);
  }
}

const toDto = (r: AccessRow, current: Membership): FirmAccessDto => ({
  firmId: r.firm_id,
  firmName: r.firm_name,
  firmSlug: r.firm_slug,
  businessId: r.client_id,
  grantedAt: r.granted_at.toISOString(),
  current: r.firm_id === current.firm_id,
});

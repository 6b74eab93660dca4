import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { createHmac } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import { preparedQuery, returningRows } from '@ledgerport/server/db';
import { Clock, hashToken, newToken, sessionCookieOptions } from '@ledgerport/server/access';
import { logoVersionSql } from '@ledgerport/server/firms';
import type { FirmBrandRow } from './brand';

export const PORTAL_COOKIE = 'lp_portal';
export const CONTACT_SESSION_TTL_DAYS = 30;
/** A session's expiry rolls forward when it is used, at most this often (one write per 5 minutes). */
const TOUCH_AFTER_MS = 5 * 60_000;

/** A contact's memberships as JSON (with `k` = contacts), for the principal. */
const MEMBERSHIPS_AGG = `coalesce(json_agg(json_build_object(
    'membership_id', cc.id, 'client_id', c.id, 'business_name', c.name, 'name', cc.name, 'role', cc.role,
    'financials_access', c.financials_access, 'files_access', c.files_access, 'ledger_connect', c.ledger_connect,
    'firm_id', f.id, 'firm_name', f.name, 'firm_slug', f.slug, 'portal_name', f.portal_name, 'portal_accent', f.portal_accent,
    'logo_version', ${logoVersionSql('f')},
    -- Q4: what waits for this person here (the header's count), probed on a partial index.
    'open_items', (SELECT count(*) FROM questions q WHERE q.contact_id = k.id AND q.client_id = c.id AND q.status = 'open'),
    -- The business's question list version, so a kept list costs no second round trip.
    'question_version', coalesce((SELECT v.version FROM question_versions v WHERE v.scope_id = c.id), 0)::text)
    ORDER BY c.name, f.name) FILTER (WHERE f.id IS NOT NULL), '[]'::json) AS memberships`;
const MEMBERSHIPS_JOINS = `LEFT JOIN client_contacts cc ON cc.contact_id = k.id AND cc.status <> 'deactivated'
         LEFT JOIN clients c ON c.id = cc.client_id AND c.status = 'active'
         LEFT JOIN firms f ON f.id = c.firm_id AND f.status = 'approved'`;

/** One business a signed-in contact can open: an invited or active membership of an active client. */
export interface Membership extends FirmBrandRow {
  membership_id: string;
  client_id: string;
  business_name: string;
  name: string;
  role: 'owner' | 'member';
  financials_access: boolean;
  files_access: boolean;
  ledger_connect: boolean;
  /** Open questions waiting for this person at the business. */
  open_items: number;
  /** The business's question list version as this request began (QuestionListCache). */
  question_version: string;
}

export interface ContactPrincipal {
  sessionId: string;
  contact: { id: string; email: string; lastClientId: string | null };
  memberships: Membership[];
  /** Set when this request moved the session's expiry: the cookie must be sent again with it. */
  renewal?: { token: string; expiresAt: Date };
}

interface Row {
  session_id: string;
  last_seen_at: Date;
  contact_id: string;
  email: string;
  last_client_id: string | null;
  memberships: Membership[];
}

/**
 * Sessions of client contacts, separate from staff sessions (own table and cookie, so one browser
 * can hold both). 30 days, rolling. Every request re-reads the contact's memberships: a
 * deactivated membership or a revoked firm disappears at once, and a contact with none left is
 * signed out.
 */
@Injectable()
export class ContactSessionStore {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async create(
    m: EntityManager,
    contactId: string,
    meta: { ip?: string; userAgent?: string },
  ): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
    const token = newToken();
    const now = this.clock.now();
    const rows: { id: string; expires_at: Date }[] = await m.query(
      `INSERT INTO contact_sessions (token_hash, contact_id, ip, user_agent, created_at, last_seen_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $5, $5::timestamptz + make_interval(days => $6)) RETURNING id, expires_at`,
      [hashToken(this.config.SESSION_SECRET, token), contactId, meta.ip ?? null, meta.userAgent?.slice(0, 400) ?? null, now, CONTACT_SESSION_TTL_DAYS],
    );
    await m.query(`UPDATE contacts SET last_sign_in_at = $2 WHERE id = $1`, [contactId, now]);
    return { token, sessionId: rows[0].id, expiresAt: rows[0].expires_at };
  }

  async resolve(token: string): Promise<ContactPrincipal | null> {
    if (!token || token.length > 100) return null;
    const now = this.clock.now();
    const rows = await preparedQuery<Row>(
      this.db,
      'contact_session_principal',
      `SELECT s.id AS session_id, s.last_seen_at, k.id AS contact_id, k.email, k.last_client_id,
              ${MEMBERSHIPS_AGG}
         FROM contact_sessions s
         JOIN contacts k ON k.id = s.contact_id
         ${MEMBERSHIPS_JOINS}
        WHERE s.token_hash = $1 AND s.expires_at > $2
        GROUP BY s.id, k.id`,
      [hashToken(this.config.SESSION_SECRET, token), now],
    );
    const r = rows[0];
    if (!r || r.memberships.length === 0) return null;
    let renewal: ContactPrincipal['renewal'];
    if (now.getTime() - r.last_seen_at.getTime() > TOUCH_AFTER_MS) {
      const [row] = await returningRows<{ expires_at: Date }>(
        this.db,
        `UPDATE contact_sessions SET last_seen_at = $2, expires_at = $2::timestamptz + make_interval(days => $3) WHERE id = $1 RETURNING expires_at`,
        [r.session_id, now, CONTACT_SESSION_TTL_DAYS],
      );
      if (row) renewal = { token, expiresAt: row.expires_at };
    }
    return {
      sessionId: r.session_id,
      contact: { id: r.contact_id, email: r.email, lastClientId: r.last_client_id },
      memberships: r.memberships,
      renewal,
    };
  }

  /** The principal of a session created inside transaction `m` (resolve() reads outside it). */
  async principalIn(m: EntityManager, sessionId: string, contactId: string): Promise<ContactPrincipal> {
    const [row]: { email: string; last_client_id: string | null; memberships: Membership[] }[] = await m.query(
      `SELECT k.email, k.last_client_id, ${MEMBERSHIPS_AGG} FROM contacts k ${MEMBERSHIPS_JOINS} WHERE k.id = $1 GROUP BY k.id`,
      [contactId],
    );
    return { sessionId, contact: { id: contactId, email: row.email, lastClientId: row.last_client_id }, memberships: row.memberships };
  }

  async destroy(sessionId: string): Promise<void> {
    await this.db.query(`DELETE FROM contact_sessions WHERE id = $1`, [sessionId]);
  }

  /** Ends every session of a contact who can no longer open any business (deactivated everywhere). */
  async endIfNoAccessLeft(m: EntityManager, contactId: string): Promise<boolean> {
    const deleted = await returningRows<{ id: string }>(
      m,
      `DELETE FROM contact_sessions s WHERE s.contact_id = $1 AND NOT EXISTS (
         SELECT 1 FROM client_contacts cc JOIN clients c ON c.id = cc.client_id AND c.status = 'active'
           JOIN firms f ON f.id = c.firm_id AND f.status = 'approved'
          WHERE cc.contact_id = $1 AND cc.status <> 'deactivated') RETURNING s.id`,
      [contactId],
    );
    return deleted.length > 0;
  }

  async destroyAll(m: EntityManager, contactId: string): Promise<void> {
    await m.query(`DELETE FROM contact_sessions WHERE contact_id = $1`, [contactId]);
  }

  csrfToken(sessionId: string): string {
    return createHmac('sha256', this.config.SESSION_SECRET).update(`portal-csrf:${sessionId}`).digest('base64url');
  }

  cookieOptions(expires?: Date) {
    return sessionCookieOptions(this.config, expires);
  }
}

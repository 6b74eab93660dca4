import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import { preparedQuery, type FirmScope } from '@ledgerport/server/db';
import { hashToken, newToken } from './tokens';
import { createHmac } from 'node:crypto';

export const SESSION_COOKIE = 'lp_session';
export const SESSION_TTL_DAYS = 30;

export interface Principal {
  sessionId: string;
  user: { id: string; name: string; email: string; role: 'admin' | 'staff' };
  /** `questionVersion`: the firm's question list version as this request began (QuestionListCache). */
  firm: { id: string; name: string; slug: string; questionVersion?: string };
}

export function principalScope(p: Principal): FirmScope {
  return { firmId: p.firm.id, userId: p.user.id, role: p.user.role, userName: p.user.name, questionVersion: p.firm.questionVersion };
}

interface PrincipalRow {
  session_id: string;
  last_seen_at: Date;
  user_id: string;
  name: string;
  email: string;
  role: 'admin' | 'staff';
  firm_id: string;
  firm_name: string;
  firm_slug: string;
  question_version: string | null;
}

/** Every cookie we set: httpOnly, SameSite=Lax, Secure outside plain-http development. */
export function sessionCookieOptions(config: AppConfig, expires?: Date, path = '/') {
  return {
    path,
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: config.isProduction || config.APP_URL.startsWith('https://'),
    ...(expires ? { expires } : {}),
  };
}

/**
 * Server-side sessions. The cookie carries a random token; the database keeps only its HMAC.
 * Every request re-reads the user's role and firm, so a change applies on the very next request.
 */
@Injectable()
export class SessionStore {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async create(
    manager: EntityManager,
    user: { id: string; firmId: string },
    meta: { ip?: string; userAgent?: string },
  ): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
    const token = newToken();
    const rows: { id: string; expires_at: Date }[] = await manager.query(
      `INSERT INTO sessions (token_hash, user_id, firm_id, ip, user_agent, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(days => $6)) RETURNING id, expires_at`,
      [hashToken(this.config.SESSION_SECRET, token), user.id, user.firmId, meta.ip ?? null, meta.userAgent?.slice(0, 400) ?? null, SESSION_TTL_DAYS],
    );
    await manager.query(`UPDATE users SET last_sign_in_at = now() WHERE id = $1`, [user.id]);
    return { token, sessionId: rows[0].id, expiresAt: rows[0].expires_at };
  }

  async resolve(token: string): Promise<Principal | null> {
    if (!token || token.length > 100) return null;
    const rows = await preparedQuery<PrincipalRow>(
      this.db,
      'session_principal',
      `SELECT s.id AS session_id, s.last_seen_at, u.id AS user_id, u.name, u.email, u.role,
              f.id AS firm_id, f.name AS firm_name, f.slug AS firm_slug,
              -- Read with the session, so a kept question board costs no second round trip.
              (SELECT v.version FROM question_versions v WHERE v.scope_id = f.id) AS question_version
         FROM sessions s
         JOIN users u ON u.id = s.user_id
         JOIN firms f ON f.id = u.firm_id AND f.status = 'approved'
        WHERE s.token_hash = $1 AND s.expires_at > now()`,
      [hashToken(this.config.SESSION_SECRET, token)],
    );
    const r = rows[0];
    if (!r) return null;
    if (Date.now() - r.last_seen_at.getTime() > 5 * 60_000) {
      await this.db.query(`UPDATE sessions SET last_seen_at = now() WHERE id = $1`, [r.session_id]);
    }
    return {
      sessionId: r.session_id,
      user: { id: r.user_id, name: r.name, email: r.email, role: r.role },
      firm: { id: r.firm_id, name: r.firm_name, slug: r.firm_slug, questionVersion: r.question_version ?? '0' },
    };
  }

  async destroy(sessionId: string): Promise<void> {
    await this.db.query(`DELETE FROM sessions WHERE id = $1`, [sessionId]);
  }

  /** Ends every session of a person (password change, removal), optionally keeping one. */
  async destroyAllForUser(manager: EntityManager, userId: string, exceptSessionId?: string): Promise<void> {
    await manager.query(`DELETE FROM sessions WHERE user_id = $1 AND ($2::uuid IS NULL OR id <> $2)`, [userId, exceptSessionId ?? null]);
  }

  /** The CSRF token of a session: derived, so nothing more is stored. */
  csrfToken(sessionId: string): string {
    return createHmac('sha256', this.config.SESSION_SECRET).update(`csrf:${sessionId}`).digest('base64url');
  }

  cookieOptions(expires?: Date) {
    return sessionCookieOptions(this.config, expires);
  }
}

import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppException } from '@ledgerport/server/errors';
import { SessionStore, type Principal } from '@ledgerport/server/access';
import { ActivityService } from '@ledgerport/server/audit';
import { MailService, passwordResetEmail } from '@ledgerport/server/notifications';
import { AuthErrorCode } from './auth.errors';
import type { SessionDto } from './dto/auth.dto';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { PasswordTokensService } from './password-tokens.service';

interface UserRow {
  id: string;
  firm_id: string;
  name: string;
  email: string;
  role: 'admin' | 'staff';
  password_hash: string | null;
  firm_name: string;
  firm_slug: string;
}

export interface RequestMeta {
  ip: string;
  userAgent?: string;
}

export interface SignedIn {
  session: SessionDto;
  token: string;
  expiresAt: Date;
}

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly sessions: SessionStore,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly tokens: PasswordTokensService,
    private readonly mail: MailService,
    private readonly activity: ActivityService,
  ) {}

  async login(email: string, password: string, meta: RequestMeta): Promise<SignedIn> {
    await this.throttle.check(email, meta.ip);
    const user = await this.findUser(email);
    const ok = await this.hasher.verify(user?.password_hash ?? null, password);
    if (!user || !ok) {
      await this.throttle.recordFailure(email, meta.ip);
      throw new AppException(HttpStatus.UNAUTHORIZED, AuthErrorCode.INVALID_CREDENTIALS, 'The email or password is not right. Check both and try again.');
    }
    await this.throttle.recordSuccess(email);
    return this.db.transaction(async (m) => {
      const s = await this.sessions.create(m, { id: user.id, firmId: user.firm_id }, meta);
      return { token: s.token, expiresAt: s.expiresAt, session: this.toSession(user, s.sessionId) };
    });
  }

  /**
   * Signs in the staff member whose email a trusted identity provider verified (Google). The
   * subject is remembered on first use; an invited person who never set a password is activated.
   * Returns null when no staff member has that email (or that subject).
   */
  async signInVerified(email: string, subject: string, meta: RequestMeta): Promise<SignedIn | null> {
    return this.db.transaction(async (m) => {
      const [user] = await this.findUserBy(m, 'u.google_subject = $1', subject);
      const found = user ?? (await this.findUserBy(m, 'u.email = $1 AND u.google_subject IS NULL', email.toLowerCase()))[0];
      if (!found) return null;
      await m.query(
        `UPDATE users SET google_subject = $2, activated_at = coalesce(activated_at, now()), updated_at = now() WHERE id = $1`,
        [found.id, subject],
      );
      const s = await this.sessions.create(m, { id: found.id, firmId: found.firm_id }, meta);
      return { token: s.token, expiresAt: s.expiresAt, session: this.toSession(found, s.sessionId) };
    });
  }

  async logout(principal: Principal): Promise<void> {
    await this.sessions.destroy(principal.sessionId);
  }

  sessionOf(p: Principal): SessionDto {
    return { user: p.user, firm: p.firm, csrfToken: this.sessions.csrfToken(p.sessionId) };
  }

  /** Always succeeds from the caller's point of view, so it cannot reveal who has an account. */
  async requestReset(email: string): Promise<void> {
    const user = await this.findUser(email);
    if (!user) return;
    const staged = await this.db.transaction(async (m) => {
      const token = await this.tokens.issue(m, { id: user.id, firmId: user.firm_id }, 'reset');
      return this.mail.stage(m, user.firm_id, user.email, passwordResetEmail({ name: user.name, url: this.tokens.link(token) }));
    });
    await this.mail.dispatch(staged);
  }

  async inspectToken(token: string) {
    const info = await this.tokens.inspect(this.db.manager, token);
    return { purpose: info.purpose, email: info.email, name: info.name, firmName: info.firmName };
  }

  /** Sets the password from an invitation or reset link, ends other sessions and signs the person in. */
  async setPassword(token: string, password: string, meta: RequestMeta): Promise<SignedIn> {
    const hash = await this.hasher.hash(password);
    return this.db.transaction(async (m) => {
      const info = await this.tokens.inspect(m, token, true);
      await this.tokens.consume(m, info.tokenId);
      await m.query(
        `UPDATE users SET password_hash = $2, activated_at = coalesce(activated_at, now()), updated_at = now() WHERE id = $1`,
        [info.userId, hash],
      );
      await this.sessions.destroyAllForUser(m, info.userId);
      const actor = { id: info.userId, name: info.name };
      await this.activity.record(m, {
        firmId: info.firmId,
        actor,
        action: info.purpose === 'invite' ? 'user.activated' : 'user.password_reset',
        summary: info.purpose === 'invite' ? `${info.name} set up their login` : `${info.name} reset their password`,
        target: { type: 'user', id: info.userId },
      });
      const [user] = await this.findUserBy(m, 'u.id = $1', info.userId);
      const s = await this.sessions.create(m, { id: user.id, firmId: user.firm_id }, meta);
      return { token: s.token, expiresAt: s.expiresAt, session: this.toSession(user, s.sessionId) };
    });
  }

  private async findUser(email: string): Promise<UserRow | undefined> {
    const [u] = await this.findUserBy(this.db.manager, 'u.email = $1', email.toLowerCase());
    return u;
  }

  private findUserBy(m: { query: DataSource['query'] }, where: string, param: string): Promise<UserRow[]> {
    return m.query(
      `SELECT u.id, u.firm_id, u.name, u.email, u.role, u.password_hash, f.name AS firm_name, f.slug AS firm_slug
         FROM users u JOIN firms f ON f.id = u.firm_id AND f.status = 'approved' WHERE ${where}`,
      [param],
    );
  }

  private toSession(u: UserRow, sessionId: string): SessionDto {
    return {
      user: { id: u.id, name: u.name, email: u.email, role: u.role },
      firm: { id: u.firm_id, name: u.firm_name, slug: u.firm_slug },
      csrfToken: this.sessions.csrfToken(sessionId),
    };
  }
}

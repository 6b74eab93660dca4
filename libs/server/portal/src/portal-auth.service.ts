import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import { BackgroundWork } from '@ledgerport/server/access';
import { AppException } from '@ledgerport/server/errors';
import { returningRows } from '@ledgerport/server/db';
import { ActivityService } from '@ledgerport/server/audit';
import { LoginThrottle, PasswordHasher } from '@ledgerport/server/auth';
import { contactPasswordResetEmail, MailService, signInLinkEmail } from '@ledgerport/server/notifications';
import { emailBrand, FIRM_BRAND_COLUMNS, portalUrl, signInLinkUrl, toPortalFirm, type FirmBrandRow } from './brand';
import { ContactSessionStore, type ContactPrincipal } from './contact-session.store';
import { ContactTokensService, type ContactTokenInfo } from './contact-tokens.service';
import { membershipOf } from './contact.guard';
import type { PortalSessionDto, ResetLinkInfoDto, SignInLinkInfoDto } from './dto/portal.dto';
import { LinkThrottle } from './link-throttle';
import { PortalErrorCode } from './portal.errors';

export interface RequestMeta {
  ip: string;
  userAgent?: string;
}

export interface PortalSignedIn {
  token: string;
  expiresAt: Date;
  session: PortalSessionDto;
}

interface ContactAtFirm extends FirmBrandRow {
  contact_id: string;
  email: string;
  password_hash: string | null;
  client_id: string;
  name: string;
  business_name: string;
}

/** Sign-in for client contacts: emailed links, passwords (and, in GoogleService, Google). */
@Injectable()
export class PortalAuthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: ContactSessionStore,
    private readonly tokens: ContactTokensService,
    private readonly throttle: LinkThrottle,
    private readonly loginThrottle: LoginThrottle,
    private readonly hasher: PasswordHasher,
    private readonly mail: MailService,
    private readonly activity: ActivityService,
    private readonly background: BackgroundWork,
  ) {}

  /**
   * Emails a sign-in link when the address belongs to a contact of one of the firm's active clients.
   * Answers identically, and as fast, whether or not it does: after the throttle (which counts every
   * request), the lookup and the email happen after the answer.
   */
  async requestSignInLink(email: string, firmSlug: string, meta: RequestMeta, next?: string): Promise<void> {
    await this.throttle.consume(email, meta.ip);
    this.background.run('portal sign-in link', () => this.sendSignInLink(email, firmSlug, next));
  }

  private async sendSignInLink(email: string, firmSlug: string, next?: string): Promise<void> {
    const at = await this.contactAtFirm(this.db.manager, email, firmSlug);
    if (!at) return;
    const staged = await this.db.transaction(async (m) => {
      const token = await this.tokens.issue(m, at.contact_id, at.client_id, 'sign_in');
      return this.mail.stage(
        m,
        at.firm_id,
        at.email,
        signInLinkEmail({
          name: at.name,
          businessName: at.business_name,
          brand: emailBrand(at, this.config.APP_URL),
          url: signInLinkUrl(this.config.APP_URL, at.firm_slug, token, next),
        }),
      );
    });
    await this.mail.dispatch(staged);
  }

  async inspectSignInLink(token: string): Promise<SignInLinkInfoDto> {
    const t = await this.tokens.inspect(this.db.manager, token, 'sign-in');
    return { email: t.email, businessName: t.businessName, firmName: t.portal_name ?? t.firm_name, firmSlug: t.firm_slug };
  }

  /** The click on "Continue to <business>": uses the link up and signs the contact in. */
  async signInWithLink(token: string, meta: RequestMeta): Promise<PortalSignedIn> {
    return this.db.transaction(async (m) => {
      const t = await this.tokens.inspect(m, token, 'sign-in', true);
      await this.tokens.consume(m, t.tokenId);
      return this.startSession(m, t.contactId, t.clientId, meta, t);
    });
  }

  async login(email: string, password: string, firmSlug: string, meta: RequestMeta): Promise<PortalSignedIn> {
    await this.loginThrottle.check(email, meta.ip);
    const at = await this.contactAtFirm(this.db.manager, email, firmSlug);
    const ok = await this.hasher.verify(at?.password_hash ?? null, password);
    if (!at || !ok) {
      await this.loginThrottle.recordFailure(email, meta.ip);
      throw new AppException(
        HttpStatus.UNAUTHORIZED,
        PortalErrorCode.INVALID_CREDENTIALS,
        'The email or password is not right. Check both, or sign in with an emailed link instead.',
      );
    }
    await this.loginThrottle.recordSuccess(email);
    return this.db.transaction((m) => this.startSession(m, at.contact_id, at.client_id, meta));
  }

  /** "Get help signing in": a single-use link (1 hour) to choose a password. Same answer for unknown emails. */
  async requestPasswordReset(email: string, firmSlug: string, meta: RequestMeta): Promise<void> {
    await this.throttle.consume(email, meta.ip);
    this.background.run('portal password link', () => this.sendPasswordLink(email, firmSlug));
  }

  private async sendPasswordLink(email: string, firmSlug: string): Promise<void> {
    const at = await this.contactAtFirm(this.db.manager, email, firmSlug);
    if (!at) return;
    const staged = await this.db.transaction(async (m) => {
      const token = await this.tokens.issue(m, at.contact_id, at.client_id, 'reset');
      return this.mail.stage(
        m,
        at.firm_id,
        at.email,
        contactPasswordResetEmail({
          name: at.name,
          brand: emailBrand(at, this.config.APP_URL),
          url: portalUrl(this.config.APP_URL, at.firm_slug, `/reset-password?token=${encodeURIComponent(token)}`),
        }),
      );
    });
    await this.mail.dispatch(staged);
  }

  async inspectReset(token: string): Promise<ResetLinkInfoDto> {
    const t = await this.tokens.inspect(this.db.manager, token, 'reset');
    return { email: t.email, name: t.name, firmSlug: t.firm_slug };
  }

  /** Sets the password from a reset link, ends every other session of the contact and signs them in. */
  async setPassword(token: string, password: string, meta: RequestMeta): Promise<PortalSignedIn> {
    const hash = await this.hasher.hash(password);
    return this.db.transaction(async (m) => {
      const t = await this.tokens.inspect(m, token, 'reset', true);
      await this.tokens.consume(m, t.tokenId);
      await m.query(`UPDATE contacts SET password_hash = $2, updated_at = now() WHERE id = $1`, [t.contactId, hash]);
      await this.sessions.destroyAll(m, t.contactId);
      return this.startSession(m, t.contactId, t.clientId, meta, t);
    });
  }

  /**
   * Signs in the contact whose email Google verified, on a business of the firm whose portal they
   * came from. The Google subject is linked on first use. Null when no such invited contact exists.
   */
  async signInVerified(email: string, subject: string, firmSlug: string, meta: RequestMeta): Promise<PortalSignedIn | null> {
    const [linked]: { email: string }[] = await this.db.query(`SELECT email FROM contacts WHERE google_subject = $1`, [subject]);
    const at = await this.contactAtFirm(this.db.manager, linked?.email ?? email, firmSlug);
    if (!at) return null;
    return this.db.transaction(async (m) => {
      await m.query(`UPDATE contacts SET google_subject = $2, updated_at = now() WHERE id = $1 AND google_subject IS NULL`, [at.contact_id, subject]);
      return this.startSession(m, at.contact_id, at.client_id, meta);
    });
  }

  async logout(p: ContactPrincipal): Promise<void> {
    await this.sessions.destroy(p.sessionId);
  }

  /** Remembers the business the contact chose (the next sign-in opens it too). */
  async switchBusiness(p: ContactPrincipal, businessId: string): Promise<PortalSessionDto> {
    membershipOf(p, businessId);
    await this.db.query(`UPDATE contacts SET last_client_id = $2 WHERE id = $1`, [p.contact.id, businessId]);
    return this.sessionOf({ ...p, contact: { ...p.contact, lastClientId: businessId } });
  }

  async sessionOf(p: ContactPrincipal): Promise<PortalSessionDto> {
    const current = p.memberships.find((x) => x.client_id === p.contact.lastClientId) ?? p.memberships[0];
    return {
      contact: { id: p.contact.id, name: current.name, email: p.contact.email },
      currentBusinessId: current.client_id,
      businesses: p.memberships.map((x) => ({
        id: x.client_id,
        name: x.business_name,
        role: x.role,
        firm: toPortalFirm(x),
        openItems: x.open_items,
        features: { questions: true, financials: x.financials_access, files: x.files_access, ledgerConnect: x.ledger_connect },
      })),
      csrfToken: this.sessions.csrfToken(p.sessionId),
    };
  }

  /**
   * Opens a session on a business: an invited membership becomes active (logged once in the
   * firm's activity), and the business becomes the contact's current one.
   */
  async startSession(
    m: EntityManager,
    contactId: string,
    clientId: string,
    meta: RequestMeta,
    via?: Pick<ContactTokenInfo, 'purpose'>,
  ): Promise<PortalSignedIn> {
    const now = new Date();
    const activated = await returningRows<{ name: string; firm_id: string; client_name: string }>(
      m,
      `UPDATE client_contacts cc SET status = 'active', activated_at = $3, last_sign_in_at = $3, updated_at = $3
         FROM clients c WHERE c.id = cc.client_id AND cc.client_id = $1 AND cc.contact_id = $2 AND cc.status = 'invited'
       RETURNING cc.name, cc.firm_id, c.name AS client_name`,
      [clientId, contactId, now],
    );
    for (const a of activated) {
      await this.activity.record(m, {
        firmId: a.firm_id,
        actor: null,
        actorName: `${a.name} (client)`,
        action: 'contact.activated',
        summary: `${a.name} signed in to the portal for the first time${via?.purpose === 'invite' ? ' from their invitation' : ''}`,
        client: { id: clientId, name: a.client_name },
        target: { type: 'contact', id: contactId },
      });
    }
    await m.query(`UPDATE client_contacts SET last_sign_in_at = $3 WHERE client_id = $1 AND contact_id = $2`, [clientId, contactId, now]);
    await m.query(`UPDATE contacts SET last_client_id = $2 WHERE id = $1`, [contactId, clientId]);
    const s = await this.sessions.create(m, contactId, meta);
    const principal = await this.sessions.principalIn(m, s.sessionId, contactId);
    return { token: s.token, expiresAt: s.expiresAt, session: await this.sessionOf(principal) };
  }

  /** The contact with this email at this firm and the business to open: the last chosen, else the first by name. */
  private async contactAtFirm(m: EntityManager, email: string, firmSlug: string): Promise<ContactAtFirm | undefined> {
    const rows: ContactAtFirm[] = await m.query(
      `SELECT k.id AS contact_id, k.email, k.password_hash, c.id AS client_id, cc.name, c.name AS business_name, ${FIRM_BRAND_COLUMNS}
         FROM contacts k
         JOIN client_contacts cc ON cc.contact_id = k.id AND cc.status <> 'deactivated'
         JOIN clients c ON c.id = cc.client_id AND c.status = 'active'
         JOIN firms f ON f.id = c.firm_id AND f.status = 'approved' AND f.slug = $2
        WHERE k.email = $1
        ORDER BY (c.id = k.last_client_id) DESC NULLS LAST, c.name
        LIMIT 1`,
      [email.toLowerCase(), firmSlug],
    );
    return rows[0];
  }
}

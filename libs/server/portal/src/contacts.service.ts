import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import { AppException } from '@ledgerport/server/errors';
import { ActivityService } from '@ledgerport/server/audit';
import { ClientsRepository, type ClientRow } from '@ledgerport/server/clients';
import type { FirmScope } from '@ledgerport/server/db';
import { contactInvitationEmail, MailService, type QueuedEmail } from '@ledgerport/server/notifications';
import { emailBrand, firmBrand, portalUrl, signInLinkUrl } from './brand';
import { ContactSessionStore } from './contact-session.store';
import { ContactTokensService } from './contact-tokens.service';
import type { ContactDto, InviteContactDto, UpdateContactDto } from './dto/contacts.dto';
import { PortalErrorCode } from './portal.errors';

interface ContactRow {
  id: string;
  contact_id: string;
  name: string;
  email: string;
  title: string | null;
  role: 'owner' | 'member';
  is_primary: boolean;
  status: 'invited' | 'active' | 'deactivated';
  invited_at: Date;
  last_invited_at: Date;
  last_sign_in_at: Date | null;
  deactivated_at: Date | null;
}

const SELECT_CONTACT = `
  SELECT cc.id, cc.contact_id, cc.name, k.email, cc.title, cc.role, cc.is_primary, cc.status, cc.invited_at,
         cc.last_invited_at, cc.last_sign_in_at, cc.deactivated_at
    FROM client_contacts cc JOIN contacts k ON k.id = cc.contact_id`;

/**
 * T7: the people at a client business who use the portal. Staff who can open the client manage
 * them. One person (one email) is one `contacts` row shared by every business they belong to;
 * what a firm knows about them (name, title, role, status) lives on the membership.
 */
@Injectable()
export class ContactsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clients: ClientsRepository,
    private readonly tokens: ContactTokensService,
    private readonly sessions: ContactSessionStore,
    private readonly mail: MailService,
    private readonly activity: ActivityService,
  ) {}

  async list(scope: FirmScope, clientId: string): Promise<ContactDto[]> {
    await this.client(this.db.manager, scope, clientId);
    const rows: ContactRow[] = await this.db.query(
      `${SELECT_CONTACT} WHERE cc.firm_id = $1 AND cc.client_id = $2
        ORDER BY cc.status = 'deactivated', cc.is_primary DESC, lower(cc.name)`,
      [scope.firmId, clientId],
    );
    return rows.map(toDto);
  }

  async invite(scope: FirmScope, clientId: string, dto: InviteContactDto): Promise<ContactDto> {
    const { contact, staged } = await this.db.transaction(async (m) => {
      const client = await this.client(m, scope, clientId, true);
      if (client.status !== 'active') {
        throw new AppException(HttpStatus.CONFLICT, PortalErrorCode.CLIENT_NOT_ACTIVE, `${client.name} is archived. Restore it before inviting people to its portal.`);
      }
      // The person, shared across businesses and firms: created on first invitation.
      await m.query(`INSERT INTO contacts (email) VALUES ($1) ON CONFLICT (email) DO NOTHING`, [dto.email]);
      const [{ id: contactId }]: { id: string }[] = await m.query(`SELECT id FROM contacts WHERE email = $1`, [dto.email]);
      const [existing]: { status: string }[] = await m.query(`SELECT status FROM client_contacts WHERE client_id = $1 AND contact_id = $2`, [
        clientId,
        contactId,
      ]);
      if (existing) {
        throw new AppException(
          HttpStatus.CONFLICT,
          PortalErrorCode.CONTACT_ALREADY_ADDED,
          existing.status === 'deactivated'
            ? `${dto.email} was a portal user of ${client.name} and is deactivated. Reactivate them instead.`
            : `${dto.email} is already a portal user of ${client.name}.`,
          [{ field: 'email', message: 'already a portal user of this client' }],
        );
      }
      const [{ id }]: { id: string }[] = await m.query(
        `INSERT INTO client_contacts (firm_id, client_id, contact_id, name, title, role, is_primary, invited_by)
         VALUES ($1, $2, $3, $4, $5, $6, NOT EXISTS (SELECT 1 FROM client_contacts WHERE client_id = $2 AND is_primary), $7)
         RETURNING id`,
        [scope.firmId, clientId, contactId, dto.name, dto.title ?? null, dto.role ?? 'member', scope.userId],
      );
      await this.log(m, scope, client, 'contact.invited', `Invited ${dto.name} (${dto.email}) to ${client.name}'s portal`, contactId);
      const staged = await this.stageInvitation(m, scope, client, contactId, dto.name, dto.email);
      return { contact: await this.row(m, scope, clientId, id), staged };
    });
    await this.mail.dispatch(staged);
    return toDto(contact);
  }

  async update(scope: FirmScope, clientId: string, id: string, dto: UpdateContactDto): Promise<ContactDto> {
    return this.db.transaction(async (m) => {
      const client = await this.client(m, scope, clientId, true);
      const before = await this.row(m, scope, clientId, id);
      if (dto.primary && before.status === 'deactivated') {
        throw new AppException(
          HttpStatus.CONFLICT,
          PortalErrorCode.CONTACT_DEACTIVATED,
          `${before.name} is deactivated, so questions could not reach them. Reactivate them before making them the primary contact.`,
        );
      }
      if (dto.primary) {
        await m.query(`UPDATE client_contacts SET is_primary = false WHERE client_id = $1 AND is_primary AND id <> $2`, [clientId, id]);
      }
      await m.query(
        `UPDATE client_contacts SET name = coalesce($3, name), title = CASE WHEN $4 THEN $5 ELSE title END,
                role = coalesce($6, role), is_primary = is_primary OR $7, updated_at = now()
          WHERE client_id = $1 AND id = $2`,
        [clientId, id, dto.name ?? null, dto.title !== undefined, dto.title ?? null, dto.role ?? null, dto.primary === true],
      );
      const after = await this.row(m, scope, clientId, id);
      const changes = [
        before.name !== after.name && `name to ${after.name}`,
        before.title !== after.title && (after.title ? `title to ${after.title}` : 'cleared the title'),
        before.role !== after.role && (after.role === 'owner' ? 'made them an owner' : 'made them a member (not an owner)'),
        !before.is_primary && after.is_primary && 'made them the primary contact',
      ].filter(Boolean);
      if (changes.length) {
        await this.log(m, scope, client, 'contact.updated', `Updated ${after.name} of ${client.name}: ${changes.join(', ')}`, after.contact_id);
      }
      return toDto(after);
    });
  }

  /** Takes away portal access to this client; a contact left with no business is signed out everywhere. */
  async deactivate(scope: FirmScope, clientId: string, id: string): Promise<ContactDto> {
    return this.db.transaction(async (m) => {
      const client = await this.client(m, scope, clientId, true);
      const c = await this.row(m, scope, clientId, id);
      if (c.status === 'deactivated') return toDto(c);
      await m.query(
        `UPDATE client_contacts SET status = 'deactivated', deactivated_at = now(), is_primary = false, updated_at = now() WHERE id = $1`,
        [id],
      );
      const signedOut = await this.sessions.endIfNoAccessLeft(m, c.contact_id);
      await this.log(
        m,
        scope,
        client,
        'contact.deactivated',
        `Deactivated ${c.name}'s portal access to ${client.name}${signedOut ? ' and signed them out' : ''}`,
        c.contact_id,
      );
      return toDto(await this.row(m, scope, clientId, id));
    });
  }

  async reactivate(scope: FirmScope, clientId: string, id: string): Promise<ContactDto> {
    return this.db.transaction(async (m) => {
      const client = await this.client(m, scope, clientId, true);
      const c = await this.row(m, scope, clientId, id);
      if (c.status !== 'deactivated') {
        throw new AppException(HttpStatus.CONFLICT, PortalErrorCode.CONTACT_ALREADY_ACTIVE, `${c.name} can already use ${client.name}'s portal.`);
      }
      await m.query(
        `UPDATE client_contacts SET status = CASE WHEN activated_at IS NULL THEN 'invited' ELSE 'active' END,
                deactivated_at = NULL, updated_at = now() WHERE id = $1`,
        [id],
      );
      await this.log(m, scope, client, 'contact.reactivated', `Reactivated ${c.name}'s portal access to ${client.name}`, c.contact_id);
      return toDto(await this.row(m, scope, clientId, id));
    });
  }

  /** Sends the invitation again with a fresh link (older links stop working). */
  async resendInvitation(scope: FirmScope, clientId: string, id: string): Promise<ContactDto> {
    const { contact, staged } = await this.db.transaction(async (m) => {
      const client = await this.client(m, scope, clientId, true);
      const c = await this.row(m, scope, clientId, id);
      if (c.status === 'deactivated') {
        throw new AppException(HttpStatus.CONFLICT, PortalErrorCode.CONTACT_DEACTIVATED, `${c.name} is deactivated. Reactivate them before sending an invitation.`);
      }
      await m.query(`UPDATE client_contacts SET last_invited_at = now(), updated_at = now() WHERE id = $1`, [id]);
      const staged = await this.stageInvitation(m, scope, client, c.contact_id, c.name, c.email);
      await this.log(m, scope, client, 'contact.invitation_resent', `Sent ${c.name} a new invitation to ${client.name}'s portal`, c.contact_id);
      return { contact: await this.row(m, scope, clientId, id), staged };
    });
    await this.mail.dispatch(staged);
    return toDto(contact);
  }

  private async stageInvitation(
    m: EntityManager,
    scope: FirmScope,
    client: ClientRow,
    contactId: string,
    name: string,
    email: string,
  ): Promise<QueuedEmail> {
    const token = await this.tokens.issue(m, contactId, client.id, 'invite');
    const brand = await firmBrand(m, scope.firmId);
    return this.mail.stage(
      m,
      scope.firmId,
      email,
      contactInvitationEmail({
        name,
        businessName: client.name,
        brand: emailBrand(brand, this.config.APP_URL),
        inviterName: scope.userName,
        url: signInLinkUrl(this.config.APP_URL, brand.firm_slug, token),
        portalUrl: portalUrl(this.config.APP_URL, brand.firm_slug),
      }),
    );
  }

  private async client(m: EntityManager, scope: FirmScope, clientId: string, lock = false): Promise<ClientRow> {
    const c = await this.clients.find(m, scope, clientId, lock);
    if (!c) throw new AppException(HttpStatus.NOT_FOUND, PortalErrorCode.CLIENT_NOT_FOUND, 'We could not find that client.');
    return c;
  }

  private async row(m: EntityManager, scope: FirmScope, clientId: string, id: string): Promise<ContactRow> {
    const [r]: ContactRow[] = await m.query(`${SELECT_CONTACT} WHERE cc.firm_id = $1 AND cc.client_id = $2 AND cc.id = $3`, [
      scope.firmId,
      clientId,
      id,
    ]);
    if (!r) throw new AppException(HttpStatus.NOT_FOUND, PortalErrorCode.CONTACT_NOT_FOUND, 'We could not find that portal user.');
    return r;
  }

  private log(m: EntityManager, scope: FirmScope, client: ClientRow, action: string, summary: string, contactId: string) {
    return this.activity.record(m, {
      firmId: scope.firmId,
      actor: { id: scope.userId, name: scope.userName },
      action,
      summary,
      client: { id: client.id, name: client.name },
      target: { type: 'contact', id: contactId },
    });
  }
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const toDto = (r: ContactRow): ContactDto => ({
  id: r.id,
  contactId: r.contact_id,
  name: r.name,
  email: r.email,
  title: r.title,
  role: r.role,
  primary: r.is_primary,
  status: r.status,
  invitedAt: r.invited_at.toISOString(),
  lastInvitedAt: r.last_invited_at.toISOString(),
  lastSignInAt: iso(r.last_sign_in_at),
  deactivatedAt: iso(r.deactivated_at),
});

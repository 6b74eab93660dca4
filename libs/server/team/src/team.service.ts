import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AppException } from '@ledgerport/server/errors';
import { ActivityService, type ActivityEntry } from '@ledgerport/server/audit';
import { PasswordTokensService } from '@ledgerport/server/auth';
import type { FirmScope } from '@ledgerport/server/db';
import { MailService, teamInvitationEmail, type QueuedEmail } from '@ledgerport/server/notifications';
import type { AssignableMemberDto, InviteMemberDto, Role, TeamMemberDto } from './dto/team.dto';
import { TeamErrorCode } from './team.errors';
import { TeamRepository, type MemberRow } from './team.repository';

@Injectable()
export class TeamService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly team: TeamRepository,
    private readonly tokens: PasswordTokensService,
    private readonly mail: MailService,
    private readonly activity: ActivityService,
  ) {}

  async list(scope: FirmScope): Promise<TeamMemberDto[]> {
    return (await this.team.list(this.db.manager, scope)).map(toDto);
  }

  /** Who a question may be assigned to: anyone on the team may ask. A client the scope cannot see is not found. */
  async assignable(scope: FirmScope, clientId?: string): Promise<AssignableMemberDto[]> {
    const m = this.db.manager;
    if (clientId && !(await this.team.clientVisible(m, scope, clientId))) {
      throw AppException.notFound(TeamErrorCode.CLIENT_NOT_FOUND, 'We could not find that client.');
    }
    const rows = await this.team.assignable(m, scope, clientId ?? null);
    return rows.map((r) => ({ id: r.id, name: r.name, role: r.role }));
  }

  async invite(scope: FirmScope, dto: InviteMemberDto): Promise<TeamMemberDto> {
    const { member, email } = await this.db
      .transaction(async (m) => {
        if (await this.team.emailTaken(m, dto.email)) {
          throw AppException.conflict(
            TeamErrorCode.EMAIL_ALREADY_REGISTERED,
            `${dto.email} already has a Ledgerport login, so it cannot be invited again.`,
          );
        }
        const id = await this.team.insert(m, scope, dto);
        const email = await this.sendInvitation(m, scope, { id, name: dto.name, email: dto.email });
        await this.log(m, scope, 'team.invited', `Invited ${dto.name} (${dto.email}) as ${dto.role}`, id, {
          role: dto.role,
        });
        return { member: await this.mustFind(m, scope, id), email };
      })
      .catch((err: unknown) => {
        // The unique index caught a concurrent registration of the address that the check above could not see.
        const e = err as { code?: string; constraint?: string };
        if (e?.code === '23505' && e.constraint === 'uq_users_email') {
          throw AppException.conflict(
            TeamErrorCode.EMAIL_ALREADY_REGISTERED,
            `${dto.email} already has a Ledgerport login, so it cannot be invited again.`,
          );
        }
        throw err;
      });
    await this.mail.dispatch(email);
    return toDto(member);
  }

  async resendInvitation(scope: FirmScope, userId: string): Promise<void> {
    const email = await this.db.transaction(async (m) => {
      const member = await this.mustFind(m, scope, userId, true);
      if (member.activated_at) {
        throw AppException.conflict(
          TeamErrorCode.ALREADY_ACTIVE,
          `${member.name} has already set up their login.`,
        );
      }
      const email = await this.sendInvitation(m, scope, member);
      await this.log(m, scope, 'team.invitation_resent', `Sent ${member.name} a new invitation`, userId);
      return email;
    });
    await this.mail.dispatch(email);
  }

  async changeRole(scope: FirmScope, userId: string, role: Role): Promise<TeamMemberDto> {
    return this.db.transaction(async (m) => {
      const admins = await this.team.lockAdmins(m, scope);
      const member = await this.mustFind(m, scope, userId, true);
      if (member.role === role) return toDto(member);
      if (member.role === 'admin' && member.activated_at && admins <= 1) {
        throw AppException.conflict(
          TeamErrorCode.LAST_ADMIN,
          'A firm needs at least one admin who can sign in. Make someone else an admin first.',
        );
      }
      await this.team.setRole(m, scope, userId, role);
      await this.log(
        m,
        scope,
        'team.role_changed',
        `Changed ${member.name}'s role from ${member.role} to ${role}`,
        userId,
        {
          from: member.role,
          to: role,
        },
      );
      return toDto(await this.mustFind(m, scope, userId));
    });
  }

  async remove(scope: FirmScope, userId: string): Promise<void> {
    await this.db.transaction(async (m) => {
      const admins = await this.team.lockAdmins(m, scope);
      const member = await this.mustFind(m, scope, userId, true);
      if (member.id === scope.userId) {
        throw AppException.conflict(
          TeamErrorCode.CANNOT_REMOVE_SELF,
          'You cannot remove yourself. Ask another admin to do it.',
        );
      }
      if (member.role === 'admin' && member.activated_at && admins <= 1) {
        throw AppException.conflict(
          TeamErrorCode.LAST_ADMIN,
          'A firm needs at least one admin who can sign in.',
        );
      }
      // Sessions, assignments and links go with the user (ON DELETE CASCADE): access ends at once.
      await this.team.delete(m, scope, userId);
      await this.log(
        m,
        scope,
        'team.removed',
        `Removed ${member.name} (${member.email}) from the team`,
        userId,
      );
    });
  }

  async setClients(scope: FirmScope, userId: string, clientIds: string[]): Promise<TeamMemberDto> {
    // UUIDs are case-insensitive; compare them as PostgreSQL returns them (lower case).
    const wanted = [...new Set(clientIds.map((c) => c.toLowerCase()))];
    return this.db.transaction(async (m) => {
      const member = await this.mustFind(m, scope, userId, true);
      const clients = await this.team.firmClients(m, scope, wanted);
      if (clients.length !== wanted.length) {
        throw new AppException(
          HttpStatus.BAD_REQUEST,
          TeamErrorCode.UNKNOWN_CLIENTS,
          'Some of those clients do not exist. Reload the page and pick again.',
          {
            unknownClientIds: wanted.filter((c) => !clients.some((x) => x.id === c)),
          },
        );
      }
      const before = new Set(member.assigned_clients.map((c) => c.id));
      await this.team.setClients(m, scope, userId, wanted);
      await this.activity.record(
        m,
        ...clients
          .filter((c) => !before.has(c.id))
          .map((c) =>
            this.entry(
              scope,
              'client.assigned',
              `Assigned ${member.name} to ${c.name}`,
              userId,
              undefined,
              c,
            ),
          ),
        ...member.assigned_clients
          .filter((c) => !wanted.includes(c.id))
          .map((c) =>
            this.entry(
              scope,
              'client.unassigned',
              `Unassigned ${member.name} from ${c.name}`,
              userId,
              undefined,
              c,
            ),
          ),
      );
      return toDto(await this.mustFind(m, scope, userId));
    });
  }

  private async sendInvitation(
    m: EntityManager,
    scope: FirmScope,
    member: { id: string; name: string; email: string },
  ): Promise<QueuedEmail> {
    const token = await this.tokens.issue(m, { id: member.id, firmId: scope.firmId }, 'invite');
    const [firm]: { name: string }[] = await m.query(`SELECT name FROM firms WHERE id = $1`, [scope.firmId]);
    return this.mail.stage(
      m,
      scope.firmId,
      member.email,
      teamInvitationEmail({
        name: member.name,
        firmName: firm.name,
        inviterName: scope.userName,
        url: this.tokens.link(token),
      }),
    );
  }

  private async mustFind(
    m: EntityManager,
    scope: FirmScope,
    userId: string,
    lock = false,
  ): Promise<MemberRow> {
    const member = await this.team.find(m, scope, userId, lock);
    if (!member)
      throw AppException.notFound(
        TeamErrorCode.MEMBER_NOT_FOUND,
        'We could not find that person on your team.',
      );
    return member;
  }

  private log(
    m: EntityManager,
    scope: FirmScope,
    action: string,
    summary: string,
    userId: string,
    details?: Record<string, unknown>,
    client?: { id: string; name: string },
  ): Promise<void> {
    return this.activity.record(m, this.entry(scope, action, summary, userId, details, client));
  }

  private entry(
    scope: FirmScope,
    action: string,
    summary: string,
    userId: string,
    details?: Record<string, unknown>,
    client?: { id: string; name: string },
  ): ActivityEntry {
    return {
      firmId: scope.firmId,
      actor: { id: scope.userId, name: scope.userName },
      action,
      summary,
      client: client ?? null,
      target: { type: 'user', id: userId },
      details,
    };
  }
}

function toDto(u: MemberRow): TeamMemberDto {
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    role: u.role,
    status: u.activated_at ? 'active' : 'invited',
    assignedClients: u.assigned_clients,
    createdAt: u.created_at.toISOString(),
    lastSignInAt: u.last_sign_in_at ? u.last_sign_in_at.toISOString() : null,
  };
}

import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AppException } from '@ledgerport/server/errors';
import { ActivityService, type ActivityEntry } from '@ledgerport/server/audit';
import type { FirmScope } from '@ledgerport/server/db';
import type {
  ClientDto,
  ClientPageDto,
  CreateClientDto,
  ListClientsQuery,
  UpdateClientDto,
} from './dto/clients.dto';
import { ClientsErrorCode } from './clients.errors';
import { ClientsRepository, type ClientRow } from './clients.repository';

const SETTING_LABELS: Record<string, string> = {
  questionsForUs: 'Questions for Us',
  financialsAccess: 'Financials access',
  filesAccess: 'Files access',
  ledgerConnect: 'Client connects their ledger',
  practiceManagerRef: 'practice-manager reference',
};

@Injectable()
export class ClientsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clients: ClientsRepository,
    private readonly activity: ActivityService,
  ) {}

  async list(scope: FirmScope, q: ListClientsQuery): Promise<ClientPageDto> {
    const { rows, total } = await this.clients.list(scope, {
      status: q.status,
      search: q.q?.trim(),
      limit: q.limit,
      offset: q.offset,
    });
    return { items: rows.map(toDto), total, limit: q.limit, offset: q.offset };
  }

  async get(scope: FirmScope, id: string): Promise<ClientDto> {
    return toDto(await this.mustFind(this.db.manager, scope, id));
  }

  async create(scope: FirmScope, dto: CreateClientDto): Promise<ClientDto> {
    return this.db
      .transaction(async (m) => {
        await this.refuseTakenName(m, scope, dto.name);
        const id = await this.clients.insert(m, scope, {
          name: dto.name,
          practiceManagerRef: dto.practiceManagerRef ?? null,
        });
        await this.log(m, scope, 'client.created', `Created client ${dto.name}`, { id, name: dto.name });
        return toDto(await this.mustFind(m, scope, id));
      })
      .catch((err: unknown) => this.nameTakenOr(err, dto.name));
  }

  async update(scope: FirmScope, id: string, dto: UpdateClientDto): Promise<ClientDto> {
    return this.db
      .transaction(async (m) => {
        const before = await this.mustFind(m, scope, id, true);
        if (dto.name !== undefined && dto.name !== before.name)
          await this.refuseTakenName(m, scope, dto.name, id);
        await this.clients.update(m, scope, id, dto);
        const changes: string[] = [];
        if (dto.name !== undefined && dto.name !== before.name) {
          await this.log(
            m,
            scope,
            'client.renamed',
            `Renamed client ${before.name} to ${dto.name}`,
            { id, name: dto.name },
            { from: before.name, to: dto.name },
          );
        }
        const settingsBefore = toDto(before).settings as unknown as Record<string, unknown>;
        for (const key of Object.keys(SETTING_LABELS)) {
          const value = (dto as Record<string, unknown>)[key];
          if (value !== undefined && value !== settingsBefore[key]) {
            changes.push(
              typeof value === 'boolean'
                ? `${SETTING_LABELS[key]} ${value ? 'on' : 'off'}`
                : `${SETTING_LABELS[key]} changed`,
            );
          }
        }
        if (changes.length) {
          await this.log(
            m,
            scope,
            'client.settings_changed',
            `Changed settings of ${dto.name ?? before.name}: ${changes.join(', ')}`,
            {
              id,
              name: dto.name ?? before.name,
            },
            { changes },
          );
        }
        return toDto(await this.mustFind(m, scope, id));
      })
      .catch((err: unknown) => this.nameTakenOr(err, dto.name ?? ''));
  }

  async archive(scope: FirmScope, id: string, archived: boolean): Promise<ClientDto> {
    return this.db.transaction(async (m) => {
      const c = await this.mustFind(m, scope, id, true);
      if (archived && c.status === 'archived') {
        throw AppException.conflict(
          ClientsErrorCode.CLIENT_ALREADY_ARCHIVED,
          `${c.name} is already archived.`,
        );
      }
      if (!archived && c.status === 'active') {
        throw AppException.conflict(ClientsErrorCode.CLIENT_NOT_ARCHIVED, `${c.name} is not archived.`);
      }
      await this.clients.setStatus(m, scope, id, archived ? 'archived' : 'active');
      await this.log(
        m,
        scope,
        archived ? 'client.archived' : 'client.restored',
        `${archived ? 'Archived' : 'Restored'} client ${c.name}`,
        c,
      );
      return toDto(await this.mustFind(m, scope, id));
    });
  }

  async delete(scope: FirmScope, id: string, confirmName: string): Promise<void> {
    await this.db.transaction(async (m) => {
      const c = await this.mustFind(m, scope, id, true);
      if (confirmName.trim() !== c.name) {
        throw AppException.badRequest(
          ClientsErrorCode.CONFIRMATION_MISMATCH,
          `To delete this client, type its exact name: ${c.name}.`,
        );
      }
      await this.clients.delete(m, scope, id);
      await this.log(m, scope, 'client.deleted', `Deleted client ${c.name}`, null, {
        clientId: c.id,
        name: c.name,
      });
    });
  }

  async setStaff(scope: FirmScope, id: string, userIds: string[]): Promise<ClientDto> {
    // UUIDs are case-insensitive; compare them as PostgreSQL returns them (lower case).
    const wanted = [...new Set(userIds.map((u) => u.toLowerCase()))];
    return this.db.transaction(async (m) => {
      const c = await this.mustFind(m, scope, id, true);
      const users = await this.clients.firmUsers(m, scope, wanted);
      if (users.length !== wanted.length) {
        throw new AppException(
          HttpStatus.BAD_REQUEST,
          ClientsErrorCode.UNKNOWN_STAFF,
          'Some of those people are not on your team. Reload the page and pick again.',
          { unknownUserIds: wanted.filter((u) => !users.some((x) => x.id === u)) },
        );
      }
      const before = new Set(c.assigned_staff.map((s) => s.id));
      await this.clients.setAssignments(m, scope, id, wanted);
      const added = users.filter((u) => !before.has(u.id));
      const removed = c.assigned_staff.filter((s) => !wanted.includes(s.id));
      await this.activity.record(
        m,
        ...added.map((u) =>
          this.entry(scope, 'client.assigned', `Assigned ${u.name} to ${c.name}`, c, { userId: u.id }),
        ),
        ...removed.map((u) =>
          this.entry(scope, 'client.unassigned', `Unassigned ${u.name} from ${c.name}`, c, { userId: u.id }),
        ),
      );
      return toDto(await this.mustFind(m, scope, id));
    });
  }

  private async mustFind(m: EntityManager, scope: FirmScope, id: string, lock = false): Promise<ClientRow> {
    const c = /^[0-9a-f-]{36}$/i.test(id) ? await this.clients.find(m, scope, id, lock) : undefined;
    if (!c) throw AppException.notFound(ClientsErrorCode.CLIENT_NOT_FOUND, 'We could not find that client.');
    return c;
  }

  private async refuseTakenName(
    m: EntityManager,
    scope: FirmScope,
    name: string,
    exceptId?: string,
  ): Promise<void> {
    if (await this.clients.nameTaken(m, scope, name, exceptId)) {
      throw AppException.conflict(
        ClientsErrorCode.CLIENT_NAME_TAKEN,
        `Your firm already has a client called ${name}.`,
      );
    }
  }

  /** The unique index on (firm, lower(name)) caught a concurrent create/rename that the check above could not see. */
  private nameTakenOr(err: unknown, name: string): never {
    const e = err as { code?: string; constraint?: string };
    if (e?.code === '23505' && e.constraint === 'uq_clients_firm_name') {
      throw AppException.conflict(
        ClientsErrorCode.CLIENT_NAME_TAKEN,
        `Your firm already has a client called ${name}.`,
      );
    }
    throw err;
  }

  private log(
    m: EntityManager,
    scope: FirmScope,
    action: string,
    summary: string,
    client: { id: string; name: string } | null,
    details?: Record<string, unknown>,
  ): Promise<void> {
    return this.activity.record(m, this.entry(scope, action, summary, client, details));
  }

  private entry(
    scope: FirmScope,
    action: string,
    summary: string,
    client: { id: string; name: string } | null,
    details?: Record<string, unknown>,
  ): ActivityEntry {
    return {
      firmId: scope.firmId,
      actor: { id: scope.userId, name: scope.userName },
      action,
      summary,
      client: client ? { id: client.id, name: client.name } : null,
      target: { type: 'client', id: client?.id ?? String(details?.clientId ?? '') },
      details,
    };
  }
}

export function toDto(c: ClientRow): ClientDto {
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    settings: {
      questionsForUs: c.questions_for_us,
      financialsAccess: c.financials_access,
      filesAccess: c.files_access,
      ledgerConnect: c.ledger_connect,
      practiceManagerRef: c.practice_manager_ref,
    },
    assignedStaff: c.assigned_staff,
    createdAt: c.created_at.toISOString(),
    archivedAt: c.archived_at ? c.archived_at.toISOString() : null,
  };
}

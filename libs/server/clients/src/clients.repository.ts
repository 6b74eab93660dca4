import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { CLIENT_VISIBLE_SQL, preparedQuery, scopeParams, type FirmScope } from '@ledgerport/server/db';

export interface ClientRow {
  id: string;
  firm_id: string;
  name: string;
  status: 'active' | 'archived';
  questions_for_us: boolean;
  financials_access: boolean;
  files_access: boolean;
  ledger_connect: boolean;
  practice_manager_ref: string | null;
  archived_at: Date | null;
  created_at: Date;
  assigned_staff: { id: string; name: string }[];
}

const SELECT_CLIENT = `
  SELECT c.id, c.firm_id, c.name, c.status, c.questions_for_us, c.financials_access, c.files_access, c.ledger_connect,
         c.practice_manager_ref, c.archived_at, c.created_at,
         coalesce((SELECT json_agg(json_build_object('id', u.id, 'name', u.name) ORDER BY u.name)
                     FROM client_assignments a JOIN users u ON u.id = a.user_id
                    WHERE a.client_id = c.id), '[]'::json) AS assigned_staff
    FROM clients c`;

const LIST_WHERE = `${CLIENT_VISIBLE_SQL} AND ($4::text = 'all' OR c.status = $4)
  AND ($5::text IS NULL OR c.name ILIKE '%' || $5 || '%')`;

/** The total and one page, as one row per client (or one row with only the total past the last page). */
const LIST_SQL = `
  SELECT t.total, p.*
    FROM (SELECT count(*) AS total FROM clients c WHERE ${LIST_WHERE}) t
    LEFT JOIN LATERAL (${SELECT_CLIENT} WHERE ${LIST_WHERE} ORDER BY c.name, c.id LIMIT $6 OFFSET $7) p ON true`;

export type ClientPatch = Partial<{
  name: string;
  questionsForUs: boolean;
  financialsAccess: boolean;
  filesAccess: boolean;
  ledgerConnect: boolean;
  practiceManagerRef: string | null;
}>;

const COLUMNS: Record<keyof ClientPatch, string> = {
  name: 'name',
  questionsForUs: 'questions_for_us',
  financialsAccess: 'financials_access',
  filesAccess: 'files_access',
  ledgerConnect: 'ledger_connect',
  practiceManagerRef: 'practice_manager_ref',
};

/** Clients, always seen through a FirmScope: admins see the firm's clients, staff their assigned ones. */
@Injectable()
export class ClientsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** One page and the total in one prepared statement (the total comes back even past the last page). */
  async list(
    scope: FirmScope,
    q: { status: 'active' | 'archived' | 'all'; search?: string; limit: number; offset: number },
  ): Promise<{ rows: ClientRow[]; total: number }> {
    const rows = await preparedQuery<ClientRow & { total: number; id: string | null }>(this.db, 'clients_list', LIST_SQL, [
      ...scopeParams(scope),
      q.status,
      q.search?.replace(/[\\%_]/g, (ch) => `\\${ch}`) || null,
      q.limit,
      q.offset,
    ]);
    return { rows: rows.filter((r) => r.id !== null), total: Number(rows[0]?.total ?? 0) };
  }


  /** The client if the scope may see it; `lock` takes a row lock for a change. */
  async find(m: EntityManager, scope: FirmScope, clientId: string, lock = false): Promise<ClientRow | undefined> {
    if (lock) {
      const locked: unknown[] = await m.query(`SELECT 1 FROM clients c WHERE c.id = $4 AND ${CLIENT_VISIBLE_SQL} FOR UPDATE`, [
        ...scopeParams(scope),
        clientId,
      ]);
      if (!locked.length) return undefined;
    }
    const rows: ClientRow[] = await m.query(`${SELECT_CLIENT} WHERE c.id = $4 AND ${CLIENT_VISIBLE_SQL}`, [...scopeParams(scope), clientId]);
    return rows[0];
  }

  async insert(m: EntityManager, scope: FirmScope, c: { name: string; practiceManagerRef: string | null }): Promise<string> {
    const rows: { id: string }[] = await m.query(
      `INSERT INTO clients (firm_id, name, practice_manager_ref) VALUES ($1, $2, $3) RETURNING id`,
      [scope.firmId, c.name, c.practiceManagerRef],
    );
    return rows[0].id;
  }

  async nameTaken(m: EntityManager, scope: FirmScope, name: string, exceptId?: string): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `SELECT 1 FROM clients WHERE firm_id = $1 AND lower(name) = lower($2) AND ($3::uuid IS NULL OR id <> $3)`,
      [scope.firmId, name, exceptId ?? null],
    );
    return rows.length > 0;
  }

  async update(m: EntityManager, scope: FirmScope, clientId: string, patch: ClientPatch): Promise<void> {
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined) as [keyof ClientPatch, unknown][];
    if (!entries.length) return;
    const sets = entries.map(([k], i) => `${COLUMNS[k]} = $${i + 3}`);
    await m.query(`UPDATE clients SET ${sets.join(', ')}, updated_at = now() WHERE firm_id = $1 AND id = $2`, [
      scope.firmId,
      clientId,
      ...entries.map(([, v]) => v),
    ]);
  }

  async setStatus(m: EntityManager, scope: FirmScope, clientId: string, status: 'active' | 'archived'): Promise<void> {
    await m.query(
      `UPDATE clients SET status = $3, archived_at = CASE WHEN $3 = 'archived' THEN now() ELSE NULL END, updated_at = now()
        WHERE firm_id = $1 AND id = $2`,
      [scope.firmId, clientId, status],
    );
  }

  async delete(m: EntityManager, scope: FirmScope, clientId: string): Promise<void> {
    await m.query(`DELETE FROM clients WHERE firm_id = $1 AND id = $2`, [scope.firmId, clientId]);
  }

  /** Users of this firm among `userIds` (to refuse ids from elsewhere). */
  async firmUsers(m: EntityManager, scope: FirmScope, userIds: string[]): Promise<{ id: string; name: string; role: string }[]> {
    if (!userIds.length) return [];
    return m.query(`SELECT id, name, role FROM users WHERE firm_id = $1 AND id = ANY($2::uuid[])`, [scope.firmId, userIds]);
  }

  /** Replaces the assignment set of one client in two set-based statements. */
  async setAssignments(m: EntityManager, scope: FirmScope, clientId: string, userIds: string[]): Promise<void> {
    await m.query(`DELETE FROM client_assignments WHERE firm_id = $1 AND client_id = $2 AND NOT (user_id = ANY($3::uuid[]))`, [
      scope.firmId,
      clientId,
      userIds,
    ]);
    await m.query(
      `INSERT INTO client_assignments (client_id, user_id, firm_id)
       SELECT $2, u, $1 FROM unnest($3::uuid[]) AS u ON CONFLICT DO NOTHING`,
      [scope.firmId, clientId, userIds],
    );
  }
}

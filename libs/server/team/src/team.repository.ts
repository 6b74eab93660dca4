import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CLIENT_VISIBLE_SQL, scopeParams, type FirmScope } from '@ledgerport/server/db';
import type { Role } from './dto/team.dto';

export interface MemberRow {
  id: string;
  name: string;
  email: string;
  role: Role;
  activated_at: Date | null;
  last_sign_in_at: Date | null;
  created_at: Date;
  assigned_clients: { id: string; name: string }[];
}

export interface AssignableRow {
  id: string;
  name: string;
  role: Role;
}

const SELECT_MEMBER = `
  SELECT u.id, u.name, u.email, u.role, u.activated_at, u.last_sign_in_at, u.created_at,
         coalesce((SELECT json_agg(json_build_object('id', c.id, 'name', c.name) ORDER BY c.name)
                     FROM client_assignments a JOIN clients c ON c.id = a.client_id
                    WHERE a.user_id = u.id AND c.status <> 'revoked'), '[]'::json) AS assigned_clients
    FROM users u`;

/** The firm's people. Every query is bounded by the scope's firm. */
@Injectable()
export class TeamRepository {
  list(m: EntityManager, scope: FirmScope): Promise<MemberRow[]> {
    return m.query(`${SELECT_MEMBER} WHERE u.firm_id = $1 ORDER BY u.name, u.id`, [scope.firmId]);
  }

  /**
   * People who have set up their login, by name; with a client, only those who can see it (the
   * firm's admins, and the staff assigned to it), as the questions' assignee rule has it.
   */
  assignable(m: EntityManager, scope: FirmScope, clientId: string | null): Promise<AssignableRow[]> {
    return m.query(
      `SELECT u.id, u.name, u.role FROM users u
        WHERE u.firm_id = $1 AND u.activated_at IS NOT NULL
          AND ($2::uuid IS NULL OR u.role = 'admin'
               OR EXISTS (SELECT 1 FROM client_assignments a WHERE a.firm_id = $1 AND a.client_id = $2 AND a.user_id = u.id))
        ORDER BY u.name, u.id`,
      [scope.firmId, clientId],
    );
  }

  /** Whether the scope may see the client (admins: any of the firm's; staff: their assigned ones). */
  async clientVisible(m: EntityManager, scope: FirmScope, clientId: string): Promise<boolean> {
    const rows: unknown[] = await m.query(`SELECT 1 FROM clients c WHERE ${CLIENT_VISIBLE_SQL} AND c.id = $4`, [
      ...scopeParams(scope),
      clientId,
    ]);
    return rows.length > 0;
  }

  async find(m: EntityManager, scope: FirmScope, userId: string, lock = false): Promise<MemberRow | undefined> {
    if (lock) await m.query(`SELECT 1 FROM users WHERE firm_id = $1 AND id = $2 FOR UPDATE`, [scope.firmId, userId]);
    const rows: MemberRow[] = await m.query(`${SELECT_MEMBER} WHERE u.firm_id = $1 AND u.id = $2`, [scope.firmId, userId]);
    return rows[0];
  }

  async emailTaken(m: EntityManager, email: string): Promise<boolean> {
    const rows: unknown[] = await m.query(`SELECT 1 FROM users WHERE email = $1`, [email]);
    return rows.length > 0;
  }

  async insert(m: EntityManager, scope: FirmScope, u: { name: string; email: string; role: Role }): Promise<string> {
    const rows: { id: string }[] = await m.query(
      `INSERT INTO users (firm_id, email, name, role) VALUES ($1, $2, $3, $4) RETURNING id`,
      [scope.firmId, u.email, u.name, u.role],
    );
    return rows[0].id;
  }

  /**
   * Number of admins who can sign in (an invitation not yet accepted does not count), locking the
   * firm's admin rows so two demotions cannot both pass.
   */
  async lockAdmins(m: EntityManager, scope: FirmScope): Promise<number> {
    const rows: { activated_at: Date | null }[] = await m.query(
      `SELECT activated_at FROM users WHERE firm_id = $1 AND role = 'admin' FOR UPDATE`,
      [scope.firmId],
    );
    return rows.filter((r) => r.activated_at).length;
  }

  async setRole(m: EntityManager, scope: FirmScope, userId: string, role: Role): Promise<void> {
    await m.query(`UPDATE users SET role = $3, updated_at = now() WHERE firm_id = $1 AND id = $2`, [scope.firmId, userId, role]);
  }

  async delete(m: EntityManager, scope: FirmScope, userId: string): Promise<void> {
    await m.query(`DELETE FROM users WHERE firm_id = $1 AND id = $2`, [scope.firmId, userId]);
  }

  async firmClients(m: EntityManager, scope: FirmScope, clientIds: string[]): Promise<{ id: string; name: string }[]> {
    if (!clientIds.length) return [];
    return m.query(`SELECT id, name FROM clients WHERE firm_id = $1 AND status <> 'revoked' AND id = ANY($2::uuid[])`, [scope.firmId, clientIds]);
  }

  /** Replaces the set of clients one person is assigned to, in two set-based statements. */
  async setClients(m: EntityManager, scope: FirmScope, userId: string, clientIds: string[]): Promise<void> {
    await m.query(`DELETE FROM client_assignments WHERE firm_id = $1 AND user_id = $2 AND NOT (client_id = ANY($3::uuid[]))`, [
      scope.firmId,
      userId,
      clientIds,
    ]);
    await m.query(
      `INSERT INTO client_assignments (client_id, user_id, firm_id)
       SELECT c, $2, $1 FROM unnest($3::uuid[]) AS c ON CONFLICT DO NOTHING`,
      [scope.firmId, userId, clientIds],
    );
  }
}

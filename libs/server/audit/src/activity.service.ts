import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { FirmScope } from '@ledgerport/server/db';

export interface ActivityItem {
  id: string;
  action: string;
  summary: string;
  actor: { id: string; name: string } | null;
  actorName: string;
  /** `deleted`: the client is gone; the entry keeps the name it had. */
  client: { id: string; name: string; deleted: boolean } | null;
  details: Record<string, unknown>;
  createdAt: string;
}

interface Row {
  id: number;
  action: string;
  summary: string;
  actor_user_id: string | null;
  actor_name: string;
  client_id: string | null;
  client_name: string | null;
  client_deleted: boolean;
  details: Record<string, unknown>;
  created_at: Date;
}

export interface ActivityEntry {
  firmId: string;
  /** null for the platform operator or the system */
  actor: { id: string; name: string } | null;
  actorName?: string;
  action: string;
  summary: string;
  client?: { id: string; name: string } | null;
  target?: { type: string; id: string };
  details?: Record<string, unknown>;
}

/**
 * Writes the activity log. Always called with the EntityManager of the change it describes,
 * so the change and its log line commit or roll back together.
 */
@Injectable()
export class ActivityService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The firm's log, newest first; a deleted client keeps the name it had. */
  async list(
    scope: FirmScope,
    q: { clientId?: string; limit: number; offset: number },
  ): Promise<{ items: ActivityItem[]; total: number }> {
    const [rows, count]: [Row[], { n: number }[]] = await Promise.all([
      this.db.query(
        `SELECT a.id, a.action, a.summary, a.actor_user_id, a.actor_name, a.client_id,
                coalesce(c.name, a.client_name) AS client_name, c.id IS NULL AS client_deleted, a.details, a.created_at
           FROM activity_log a LEFT JOIN clients c ON c.id = a.client_id
          WHERE a.firm_id = $1 AND ($2::uuid IS NULL OR a.client_id = $2)
          ORDER BY a.id DESC LIMIT $3 OFFSET $4`,
        [scope.firmId, q.clientId ?? null, q.limit, q.offset],
      ),
      this.db.query(
        `SELECT count(*) AS n FROM activity_log WHERE firm_id = $1 AND ($2::uuid IS NULL OR client_id = $2)`,
        [scope.firmId, q.clientId ?? null],
      ),
    ]);
    return {
      total: Number(count[0].n),
      items: rows.map((r) => ({
        id: String(r.id),
        action: r.action,
        summary: r.summary,
        actor: r.actor_user_id ? { id: r.actor_user_id, name: r.actor_name } : null,
        actorName: r.actor_name,
        client: r.client_id ? { id: r.client_id, name: r.client_name ?? '', deleted: r.client_deleted } : null,
        details: r.details,
        createdAt: r.created_at.toISOString(),
      })),
    };
  }

  /** Writes one or many entries in a single statement, inside the caller's transaction. */
  async record(manager: EntityManager, ...entries: ActivityEntry[]): Promise<void> {
    if (!entries.length) return;
    const rows = entries.map((e) => ({
      firm_id: e.firmId,
      actor_user_id: e.actor?.id ?? null,
      actor_name: e.actor?.name ?? e.actorName ?? 'Ledgerport',
      action: e.action,
      summary: e.summary,
      client_id: e.client?.id ?? null,
      client_name: e.client?.name ?? null,
      target_type: e.target?.type ?? null,
      target_id: e.target?.id ?? null,
      details: e.details ?? {},
    }));
    await manager.query(
      `INSERT INTO activity_log (firm_id, actor_user_id, actor_name, action, summary, client_id, client_name, target_type, target_id, details)
       SELECT r.firm_id, r.actor_user_id, r.actor_name, r.action, r.summary, r.client_id, r.client_name, r.target_type, r.target_id, r.details
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(doc, n),
              jsonb_to_record(e.doc) AS r(firm_id uuid, actor_user_id uuid, actor_name text, action text, summary text,
                                          client_id uuid, client_name text, target_type text, target_id text, details jsonb)
        ORDER BY e.n`,
      [JSON.stringify(rows)],
    );
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

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
  async record(manager: EntityManager, e: ActivityEntry): Promise<void> {
    await manager.query(
      `INSERT INTO activity_log (firm_id, actor_user_id, actor_name, action, summary, client_id, client_name, target_type, target_id, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        e.firmId,
        e.actor?.id ?? null,
        e.actor?.name ?? e.actorName ?? 'Ledgerport',
        e.action,
        e.summary,
        e.client?.id ?? null,
        e.client?.name ?? null,
        e.target?.type ?? null,
        e.target?.id ?? null,
        JSON.stringify(e.details ?? {}),
      ],
    );
  }
}

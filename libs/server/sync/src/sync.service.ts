import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ClientsRepository } from '@ledgerport/server/clients';
import { returningRows, type FirmScope } from '@ledgerport/server/db';
import { AppException } from '@ledgerport/server/errors';
import type { ReviewAccountDto, SyncRunDto, SyncStatusDto } from './dto/sync.dto';
import { SyncRequests, type SyncRunRow } from './sync-requests.service';

export const SyncErrorCode = {
  CLIENT_NOT_FOUND: 'CLIENT_NOT_FOUND',
  NO_CONNECTION: 'NO_CONNECTION',
  NEEDS_RECONNECT: 'NEEDS_RECONNECT',
  ACCOUNT_NOT_FOUND: 'ACCOUNT_NOT_FOUND',
  TRANSACTION_NOT_FOUND: 'TRANSACTION_NOT_FOUND',
  CURSOR_INVALID: 'CURSOR_INVALID',
  AMOUNT_RANGE_INVALID: 'AMOUNT_RANGE_INVALID',
  DATE_RANGE_INVALID: 'DATE_RANGE_INVALID',
  WEBHOOK_SIGNATURE_INVALID: 'WEBHOOK_SIGNATURE_INVALID',
  WEBHOOK_NOT_CONFIGURED: 'WEBHOOK_NOT_CONFIGURED',
  WEBHOOK_BODY_INVALID: 'WEBHOOK_BODY_INVALID',
} as const;

interface ConnectionSummary {
  id: string;
  status: 'connected' | 'needs_reconnect' | 'disconnected';
  provider: string;
  backfilled_at: Date | null;
  last_synced_at: Date | null;
  transaction_count: number;
  uncategorized_count: number;
  missing_class_count: number;
  sync_interval_minutes: number;
}

/** Recomputes the uncategorized flag of one connection's transactions from its accounts' review marks. */
const RECOMPUTE_UNCATEGORIZED = `
  UPDATE ledger_transactions t
     SET uncategorized = f.u, updated_at = now()
    FROM (SELECT x.id,
                 (x.account_id = ANY($2::text[]) OR EXISTS (
                    SELECT 1 FROM jsonb_array_elements(x.lines) l WHERE l #>> '{account,id}' = ANY($2::text[]))) AS u
            FROM ledger_transactions x WHERE x.connection_id = $1) f
   WHERE t.id = f.id AND t.uncategorized IS DISTINCT FROM f.u`;

/** S1/S3: a client's sync status, Sync now, the run history, and which accounts need review (S5). */
@Injectable()
export class SyncService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clients: ClientsRepository,
    private readonly requests: SyncRequests,
  ) {}

  async status(scope: FirmScope, clientId: string): Promise<SyncStatusDto> {
    const conn = await this.live(scope, clientId);
    const runs: SyncRunRow[] = await this.db.query(
      `(SELECT * FROM sync_runs WHERE connection_id = $1 AND status IN ('queued', 'running') LIMIT 1)
       UNION ALL
       (SELECT * FROM sync_runs WHERE connection_id = $1 AND status IN ('succeeded', 'failed') ORDER BY finished_at DESC LIMIT 1)`,
      [conn.id],
    );
    const current = runs.find((r) => r.status === 'queued' || r.status === 'running');
    const last = runs.find((r) => r.status === 'succeeded' || r.status === 'failed');
    return {
      current: current ? runDto(current) : null,
      last: last ? runDto(last) : null,
      lastSyncedAt: conn.last_synced_at?.toISOString() ?? null,
      backfilled: conn.backfilled_at !== null,
      transactionCount: conn.transaction_count,
      uncategorizedCount: conn.uncategorized_count,
      missingClassCount: conn.missing_class_count,
      intervalMinutes: conn.sync_interval_minutes,
    };
  }

  /** "Sync now": the open run if there is one (a request during a run reads again right after). */
  async syncNow(scope: FirmScope, clientId: string): Promise<SyncRunDto> {
    const conn = await this.live(scope, clientId);
    if (conn.status !== 'connected') {
      throw new AppException(HttpStatus.CONFLICT, SyncErrorCode.NEEDS_RECONNECT, 'This ledger connection needs to be reconnected before it can sync.');
    }
    const out = await this.requests.request(conn.id, 'manual', scope.userId);
    if (!out) throw new AppException(HttpStatus.CONFLICT, SyncErrorCode.NEEDS_RECONNECT, 'This ledger connection needs to be reconnected before it can sync.');
    return runDto(out.run);
  }

  async runs(scope: FirmScope, clientId: string, limit: number): Promise<SyncRunDto[]> {
    await this.client(scope, clientId);
    const rows: SyncRunRow[] = await this.db.query(`SELECT * FROM sync_runs WHERE client_id = $1 ORDER BY queued_at DESC LIMIT $2`, [clientId, limit]);
    return rows.map(runDto);
  }

  async reviewAccounts(scope: FirmScope, clientId: string): Promise<ReviewAccountDto[]> {
    const conn = await this.live(scope, clientId);
    const rows: { id: string; code: string | null; name: string; type: string; active: boolean; needs_review: boolean }[] = await this.db.query(
      `SELECT external_id AS id, code, name, type, active, needs_review FROM ledger_accounts WHERE connection_id = $1
        ORDER BY needs_review DESC, active DESC, code NULLS LAST, name`,
      [conn.id],
    );
    return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, type: r.type, active: r.active, needsReview: r.needs_review }));
  }

  /** S5: the firm marks an account as needing review (or not); the flags and counts follow at once. */
  async setReview(scope: FirmScope, clientId: string, accountId: string, needsReview: boolean): Promise<ReviewAccountDto[]> {
    const conn = await this.live(scope, clientId);
    await this.db.transaction(async (m) => {
      const [found] = await returningRows<{ ok: number }>(
        m,
        `UPDATE ledger_accounts SET needs_review = $3, updated_at = now() WHERE connection_id = $1 AND external_id = $2 RETURNING 1 AS ok`,
        [conn.id, accountId, needsReview],
      );
      if (!found) {
        throw new AppException(HttpStatus.NOT_FOUND, SyncErrorCode.ACCOUNT_NOT_FOUND, 'That account is not in this ledger’s chart of accounts.');
      }
      const ids: { external_id: string }[] = await m.query(`SELECT external_id FROM ledger_accounts WHERE connection_id = $1 AND needs_review`, [conn.id]);
      await m.query(RECOMPUTE_UNCATEGORIZED, [conn.id, ids.map((i) => i.external_id)]);
      await m.query(
        `UPDATE ledger_connections SET uncategorized_count = (SELECT count(*)::int FROM ledger_transactions WHERE connection_id = $1 AND uncategorized AND NOT deleted)
          WHERE id = $1`,
        [conn.id],
      );
    });
    return this.reviewAccounts(scope, clientId);
  }

  async interval(scope: FirmScope): Promise<number> {
    const [f]: { sync_interval_minutes: number }[] = await this.db.query(`SELECT sync_interval_minutes FROM firms WHERE id = $1`, [scope.firmId]);
    return f.sync_interval_minutes;
  }

  async setInterval(scope: FirmScope, minutes: number): Promise<number> {
    await this.db.query(`UPDATE firms SET sync_interval_minutes = $2, updated_at = now() WHERE id = $1`, [scope.firmId, minutes]);
    return minutes;
  }

  private async client(scope: FirmScope, clientId: string) {
    const c = await this.clients.find(this.db.manager, scope, clientId);
    if (!c) throw new AppException(HttpStatus.NOT_FOUND, SyncErrorCode.CLIENT_NOT_FOUND, 'We could not find that client.');
    return c;
  }

  private async live(scope: FirmScope, clientId: string): Promise<ConnectionSummary> {
    await this.client(scope, clientId);
    const [conn]: ConnectionSummary[] = await this.db.query(
      `SELECT l.id, l.status, l.provider, l.backfilled_at, l.last_synced_at, l.transaction_count, l.uncategorized_count, l.missing_class_count,
              f.sync_interval_minutes
         FROM ledger_connections l JOIN firms f ON f.id = l.firm_id
        WHERE l.client_id = $1 AND l.status <> 'disconnected'`,
      [clientId],
    );
    if (!conn) throw new AppException(HttpStatus.NOT_FOUND, SyncErrorCode.NO_CONNECTION, 'This client is not connected to a ledger.');
    return conn;
  }
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function runDto(r: SyncRunRow): SyncRunDto {
  const total = r.progress_total;
  const done = r.status === 'succeeded' ? (total ?? r.progress_done) : r.progress_done;
  return {
    id: r.id,
    kind: r.kind,
    trigger: r.trigger,
    status: r.status,
    queuedAt: r.queued_at.toISOString(),
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    pages: r.pages,
    added: r.added,
    changed: r.changed,
    removed: r.removed,
    progress: {
      phase: r.phase,
      done,
      total,
      percent: r.status === 'succeeded' ? 100 : total ? Math.min(99, Math.floor((100 * done) / total)) : null,
      read: r.read_count,
    },
    error: r.error_code ? { code: r.error_code, message: r.error ?? '' } : null,
  };
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import { JobName, QueueName, REDIS, type SyncConnectionPayload } from '@ledgerport/server/jobs';

export type SyncTrigger = 'schedule' | 'manual' | 'connect' | 'webhook' | 'api';

export interface SyncRunRow {
  id: string;
  firm_id: string;
  client_id: string;
  connection_id: string;
  kind: 'backfill' | 'incremental';
  trigger: SyncTrigger;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  requested_by: string | null;
  queued_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  pages: number;
  added: number;
  changed: number;
  removed: number;
  read_count: number;
  progress_done: number;
  progress_total: number | null;
  phase: string | null;
  error_code: string | null;
  error: string | null;
}

/** BullMQ takes priorities from 1 (first) to 2,097,152. */
export const clampPriority = (n: number) => Math.min(Math.max(n, 1), 2_000_000);

/** The queue's options for a sync job: the run row is the record, so BullMQ keeps nothing. */
export function syncJobOptions(runId: string, connectionId: string, priority: number) {
  return {
    jobId: runId,
    // One job per connection at a time, whatever asks for it.
    deduplication: { id: `sync:${connectionId}` },
    priority,
    attempts: 1,
    removeOnComplete: true,
    removeOnFail: true,
  };
}

/**
 * Asks for syncs (S1): one run per connection at a time, recorded in `sync_runs` (a unique index
 * on the open run) and carried by one BullMQ job. A request while a run is going marks the
 * connection "again", so the changes that prompted it are read right after.
 */
@Injectable()
export class SyncRequests {
  private readonly logger = new Logger(SyncRequests.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.SYNC) private readonly queue: Queue<SyncConnectionPayload>,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Queues a sync of a connected ledger unless one is already queued or running; returns the open
   * run (new or not), or null when the connection is not connected.
   */
  async request(connectionId: string, trigger: SyncTrigger, requestedBy: string | null = null, m: EntityManager = this.db.manager): Promise<{ run: SyncRunRow; created: boolean } | null> {
    const [conn]: { id: string; firm_id: string; client_id: string; status: string; backfilled_at: Date | null }[] = await m.query(
      `SELECT id, firm_id, client_id, status, backfilled_at FROM ledger_connections WHERE id = $1`,
      [connectionId],
    );
    if (!conn || conn.status !== 'connected') return null;
    const [created]: SyncRunRow[] = await m.query(
      `INSERT INTO sync_runs (firm_id, client_id, connection_id, kind, trigger, requested_by)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (connection_id) WHERE status IN ('queued', 'running') DO NOTHING
       RETURNING *`,
      [conn.firm_id, conn.client_id, conn.id, conn.backfilled_at ? 'incremental' : 'backfill', trigger, requestedBy],
    );
    if (created) {
      await this.enqueue(created);
      return { run: created, created: true };
    }
    const [open]: SyncRunRow[] = await m.query(`SELECT * FROM sync_runs WHERE connection_id = $1 AND status IN ('queued', 'running')`, [connectionId]);
    if (!open) return this.request(connectionId, trigger, requestedBy, m); // it finished meanwhile
    if (open.status === 'running' && trigger !== 'schedule') await this.redis.set(this.againKey(connectionId), '1', 'EX', 86_400);
    return { run: open, created: false };
  }

  /** Puts a run's job on the queue (again, when the job was lost: the deduplication keeps it single). */
  async enqueue(run: Pick<SyncRunRow, 'id' | 'connection_id' | 'firm_id'>): Promise<void> {
    await this.enqueueMany([run]);
  }

  /** Many runs' jobs in one call to the queue, each firm's open-run count read in one statement. */
  async enqueueMany(runs: Pick<SyncRunRow, 'id' | 'connection_id' | 'firm_id'>[]): Promise<void> {
    if (!runs.length) return;
    const counts: { firm_id: string; n: number }[] = await this.db.query(
      `SELECT firm_id, count(*)::int AS n FROM sync_runs WHERE firm_id = ANY($1::uuid[]) AND status IN ('queued', 'running') GROUP BY firm_id`,
      [[...new Set(runs.map((r) => r.firm_id))]],
    );
    const open = new Map(counts.map((c) => [c.firm_id, c.n]));
    await this.queue.addBulk(
      runs.map((run) => ({
        name: JobName.SYNC_CONNECTION,
        data: { runId: run.id, connectionId: run.connection_id, firmId: run.firm_id },
        opts: syncJobOptions(run.id, run.connection_id, clampPriority(open.get(run.firm_id) ?? 1)),
      })),
    );
    this.logger.debug({ runs: runs.length }, 'Syncs queued');
  }

  /**
   * Fair across firms: a job's priority (lower goes first) is how many runs its firm has open, so
   * a firm with one sync goes before a firm with 2,000; a job takes it again before each slice.
   */
  async priorityFor(firmId: string): Promise<number> {
    const [{ n }]: { n: number }[] = await this.db.query(`SELECT count(*)::int AS n FROM sync_runs WHERE firm_id = $1 AND status IN ('queued', 'running')`, [firmId]);
    return clampPriority(n);
  }

  /** Whether a request arrived while the last run was going (and forgets it). */
  async takeAgain(connectionId: string): Promise<boolean> {
    return (await this.redis.getdel(this.againKey(connectionId))) !== null;
  }

  private againKey(connectionId: string): string {
    return `${this.config.REDIS_PREFIX}:sync:again:${connectionId}`;
  }
}

import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { JobName, QueueName } from '@ledgerport/server/jobs';
import { SyncRequests, type SyncRunRow } from '@ledgerport/server/sync';

const TICK_EVERY_MS = 60_000;

/**
 * S1's schedule: a BullMQ job scheduler runs one tick a minute across all workers. A tick queues
 * every connected ledger whose firm's interval has passed (and every one never synced), and puts
 * back the job of any open run that lost it (Redis flushed, a bug): no run waits forever.
 */
@Injectable()
export class SyncScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(SyncScheduler.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.SYNC) private readonly queue: Queue,
    private readonly requests: SyncRequests,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.SYNC_SCHEDULE === 'off') {
      await this.queue.removeJobScheduler('sync-tick');
      return;
    }
    await this.queue.upsertJobScheduler('sync-tick', { every: TICK_EVERY_MS }, { name: JobName.SYNC_TICK, data: {}, opts: { removeOnComplete: true, removeOnFail: true } });
  }

  async tick(): Promise<{ queued: number; requeued: number }> {
    // Every due connection gets its run in one statement (the unique open-run index skips any that
    // got one meanwhile), and the jobs go to the queue in one call.
    const created: SyncRunRow[] = await this.db.query(
      `INSERT INTO sync_runs (firm_id, client_id, connection_id, kind, trigger)
       SELECT l.firm_id, l.client_id, l.id, CASE WHEN l.backfilled_at IS NULL THEN 'backfill' ELSE 'incremental' END, 'schedule'
         FROM ledger_connections l JOIN firms f ON f.id = l.firm_id
        WHERE l.status = 'connected'
          AND (l.last_synced_at IS NULL OR l.last_synced_at < now() - make_interval(mins => f.sync_interval_minutes))
          AND NOT EXISTS (SELECT 1 FROM sync_runs r WHERE r.connection_id = l.id AND r.status IN ('queued', 'running'))
        ORDER BY l.last_synced_at NULLS FIRST
        LIMIT 5000
       ON CONFLICT (connection_id) WHERE status IN ('queued', 'running') DO NOTHING
       RETURNING *`,
    );
    const open: SyncRunRow[] = await this.db.query(`SELECT * FROM sync_runs WHERE status IN ('queued', 'running') AND queued_at < now() - interval '1 minute'`);
    const lost: SyncRunRow[] = [];
    for (const run of open) if (!(await this.queue.getJob(run.id))) lost.push(run);
    await this.requests.enqueueMany([...created, ...lost]);
    if (created.length || lost.length) this.logger.log({ queued: created.length, requeued: lost.length }, 'Sync tick');
    return { queued: created.length, requeued: lost.length };
  }
}

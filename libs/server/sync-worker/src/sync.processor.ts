import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnModuleInit } from '@nestjs/common';
import { DelayedError, type Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import { JobName, QueueName, type SyncConnectionPayload } from '@ledgerport/server/jobs';
import { clampPriority, SyncRequests } from '@ledgerport/server/sync';
import { SyncEngine } from './sync-engine';
import { SyncScheduler } from './sync-scheduler';

/**
 * The sync queue's consumer. A killed worker's job is taken over when its lock lapses
 * (SYNC_LOCK_MS) and resumes from its checkpoints, however often that happens; on SIGTERM the
 * current page finishes, the job goes back to the queue, and the process exits.
 */
@Processor(QueueName.SYNC, {
  concurrency: 4,
  lockDuration: Number(process.env['SYNC_LOCK_MS'] ?? 30_000),
  stalledInterval: Number(process.env['SYNC_LOCK_MS'] ?? 30_000),
  maxStalledCount: 1000,
})
export class SyncProcessor extends WorkerHost implements OnModuleInit {
  static readonly handles = [JobName.SYNC_CONNECTION, JobName.SYNC_TICK] as const;
  private readonly logger = new Logger(SyncProcessor.name);
  private stopping = false;

  constructor(
    private readonly engine: SyncEngine,
    private readonly scheduler: SyncScheduler,
    private readonly requests: SyncRequests,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  onModuleInit(): void {
    this.worker.concurrency = this.config.SYNC_CONCURRENCY;
  }

  /** Called by the worker's shutdown before the queues close: slices end after their current page. */
  beginShutdown(): void {
    this.stopping = true;
  }

  async process(job: Job<SyncConnectionPayload>, token?: string): Promise<unknown> {
    switch (job.name) {
      case JobName.SYNC_TICK:
        return this.scheduler.tick();
      case JobName.SYNC_CONNECTION: {
        const outcome = await this.engine.runSlice(job.data, () => this.stopping || !!this.worker.closing);
        if (outcome.kind === 'more') {
          // Back to the queue, behind its firm's other open syncs: the priority (lower goes first)
          // grows by the firm's open-run count with every slice and never falls, so a run that has
          // had fewer slices goes before one that has had more (least attained service: a small
          // sync overtakes a long backfill), and a firm with few syncs overtakes one with many.
          const slices = (job.data.slices ?? 0) + 1;
          await job.updateData({ ...job.data, slices });
          await job.moveToDelayed(Date.now() + outcome.delayMs, token);
          const priority = clampPriority(Math.max(job.priority, 1) + (await this.requests.priorityFor(job.data.firmId)));
          await job.changePriority({ priority }).catch((err: unknown) => {
            this.logger.warn({ job: job.id, err: (err as Error).message }, 'Could not re-weigh a sync job; it keeps its priority');
          });
          throw new DelayedError();
        }
        return outcome;
      }
      default:
        throw new Error(`The sync queue has no handler for job "${job.name}"`);
    }
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job<SyncConnectionPayload> | undefined, err: Error): void {
    if (job && !(err instanceof DelayedError)) this.logger.error({ job: job.id, err: err.message }, 'Sync job failed');
  }
}

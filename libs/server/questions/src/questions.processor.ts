import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job, Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { LedgerConflict, LedgerUnavailable, type LedgerLine, type ProviderName } from '@ledgerport/ledger';
import { Clock } from '@ledgerport/server/access';
import { ActivityService } from '@ledgerport/server/audit';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import { ConnectionTokens, LedgerAccessModule, PROVIDER_LABELS } from '@ledgerport/server/connections';
import { AppException } from '@ledgerport/server/errors';
import { JobName, QueueName, type ApplyCategoryPayload } from '@ledgerport/server/jobs';
import { NotificationsModule } from '@ledgerport/server/notifications';
import { ContactTokensService } from '@ledgerport/server/portal';
import { LedgerLimits, RateLimitWait, SyncRequestsModule } from '@ledgerport/server/sync';
import { refreshConnectionCounts, reviewRules, writeTransactions, type ReviewRules } from '@ledgerport/server/sync-worker';
import type { CategoryDto } from './dto/questions.dto';
import { QuestionNotices } from './question-notices';
import { reference } from './question-rows';

interface ApplyRow {
  id: string;
  firm_id: string;
  client_id: string;
  client_name: string;
  number: number;
  apply_status: string | null;
  applied_category: CategoryDto | null;
  apply_class_id: { id: string | null } | null;
  transaction_id: string;
  provider_type: string;
  provider_id: string;
  payee_name: string | null;
  lines: LedgerLine[];
  connection_id: string;
  provider: ProviderName;
}

/** A refusal that trying again will not change, in the words the console shows. */
class NotApplicable extends Error {}

/**
 * Which line the category replaces: the one on a "needs review" account, or the only line there
 * is. Anything else is the bookkeeper's call in the ledger itself.
 */
export function lineToChange(lines: LedgerLine[], rules: Pick<ReviewRules, 'accounts'>): string | null {
  const withAccount = lines.filter((l) => l.account);
  const review = withAccount.filter((l) => rules.accounts.has((l.account as { id: string }).id));
  const pick = review.length === 1 ? review[0] : review.length === 0 && withAccount.length === 1 ? withAccount[0] : undefined;
  if (!pick) {
    throw new NotApplicable('This transaction has several lines to categorize. Change it in the ledger itself, then sync.');
  }
  return pick.id;
}

/**
 * The questions queue's consumer. S6: writes a question's accepted category to the ledger through
 * the provider adapter (a sparse QuickBooks update, a Xero update), under the shared rate limits,
 * then stores the ledger's answer at once so the transaction and the uncategorized count are
 * current; network trouble and rate limits are retried with back-off, a refusal is shown as it is.
 * Q9: a tick every QUESTION_TICK_SECONDS (default a minute; one BullMQ job scheduler across all
 * workers, re-set to the configured interval whenever a worker starts) sends the question emails.
 */
@Processor(QueueName.QUESTIONS, { concurrency: 4 })
@Injectable()
export class QuestionsProcessor extends WorkerHost implements OnApplicationBootstrap {
  static readonly handles = [JobName.APPLY_CATEGORY, JobName.QUESTIONS_TICK] as const;
  private readonly logger = new Logger(QuestionsProcessor.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly tokens: ConnectionTokens,
    private readonly limits: LedgerLimits,
    private readonly activity: ActivityService,
    private readonly notices: QuestionNotices,
    @InjectQueue(QueueName.QUESTIONS) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.QUESTION_EMAILS === 'off') {
      await this.queue.removeJobScheduler('questions-tick');
      return;
    }
    await this.queue.upsertJobScheduler('questions-tick', { every: this.config.QUESTION_TICK_SECONDS * 1000 }, { name: JobName.QUESTIONS_TICK, data: {}, opts: { removeOnComplete: true, removeOnFail: true } });
  }

  async process(job: Job): Promise<unknown> {
    if (job.name === JobName.QUESTIONS_TICK) return this.notices.tick();
    if (job.name === JobName.APPLY_CATEGORY) return this.apply(job as Job<ApplyCategoryPayload>);
    throw new Error(`The questions queue has no handler for job "${job.name}"`);
  }

  private async apply(job: Job<ApplyCategoryPayload>): Promise<void> {
    const [q]: ApplyRow[] = await this.db.query(
      `SELECT q.id, q.firm_id, q.client_id, c.name AS client_name, q.number, q.apply_status, q.applied_category, q.apply_class_id,
              t.id::text AS transaction_id, t.provider_type, t.provider_id, t.payee_name, t.lines, t.connection_id, l.provider
         FROM questions q JOIN clients c ON c.id = q.client_id
         JOIN ledger_transactions t ON t.id = q.transaction_id
         JOIN ledger_connections l ON l.id = t.connection_id
        WHERE q.id = $1`,
      [job.data.questionId],
    );
    // Nothing asked any more (applied, failed and not retried, or the transaction is gone).
    if (!q || q.apply_status !== 'pending' || !q.applied_category) return;
    const label = PROVIDER_LABELS[q.provider];
    try {
      const rules = await reviewRules(this.db, q.connection_id);
      const lineId = lineToChange(q.lines, rules);
      const updated = await this.tokens.withLedger(q.connection_id, (ledger, token, externalId) =>
        // A write-back reads the transaction, maybe the chart, then writes: its slots are taken at once.
        this.limits.run(q.provider, externalId, 4, () =>
          ledger.recategorize(token, externalId, {
            type: q.provider_type,
            id: q.provider_id,
            lineId,
            accountId: (q.applied_category as CategoryDto).id,
            ...(q.apply_class_id ? { classId: q.apply_class_id.id } : {}),
          }),
        ),
      );
      await this.db.transaction(async (m) => {
        await writeTransactions(m, { connectionId: q.connection_id, firmId: q.firm_id, clientId: q.client_id, provider: q.provider }, [updated], rules);
        await refreshConnectionCounts(m, q.connection_id);
        // The question's copy of the transaction now shows where it was posted.
        await m.query(
          `UPDATE questions SET apply_status = 'applied', applied_at = now(), apply_error = NULL, updated_at = now(),
                  txn = CASE WHEN txn IS NULL THEN NULL ELSE jsonb_set(txn, '{account}', $2::jsonb) END
            WHERE id = $1`,
          [q.id, JSON.stringify({ id: (q.applied_category as CategoryDto).id, name: (q.applied_category as CategoryDto).name })],
        );
        await this.activity.record(m, {
          firmId: q.firm_id,
          actor: null,
          action: 'question.applied',
          summary: `Posted ${q.payee_name ?? 'the transaction'} of ${reference(q.number)} to ${(q.applied_category as CategoryDto).name} in ${label}`,
          client: { id: q.client_id, name: q.client_name },
          target: { type: 'question', id: q.id },
          details: { accountId: (q.applied_category as CategoryDto).id, transactionId: q.transaction_id },
        });
      });
    } catch (err) {
      const retry = isTransient(err) && job.attemptsMade + 1 < (job.opts.attempts ?? 1);
      if (retry) throw err;
      await this.fail(q, reason(err, label));
      if (!(err instanceof NotApplicable) && !(err instanceof LedgerConflict) && !(err instanceof AppException)) {
        this.logger.error({ question: q.id, err: (err as Error)?.stack ?? String(err) }, 'Write-back failed unexpectedly');
      }
    }
  }

  private async fail(q: ApplyRow, message: string): Promise<void> {
    await this.db.transaction(async (m) => {
      await m.query(`UPDATE questions SET apply_status = 'failed', apply_error = $2, updated_at = now() WHERE id = $1 AND apply_status = 'pending'`, [q.id, message]);
      await this.activity.record(m, {
        firmId: q.firm_id,
        actor: null,
        action: 'question.apply_failed',
        summary: `Could not post ${reference(q.number)} to ${q.applied_category?.name ?? 'the category'}: ${message}`,
        client: { id: q.client_id, name: q.client_name },
        target: { type: 'question', id: q.id },
      });
    });
  }
}

function isTransient(err: unknown): boolean {
  if (err instanceof RateLimitWait || err instanceof LedgerUnavailable) return true;
  return err instanceof AppException && (err.code === 'LEDGER_UNAVAILABLE' || err.code === 'LEDGER_RATE_LIMITED');
}

function reason(err: unknown, label: string): string {
  if (err instanceof NotApplicable) return err.message;
  if (err instanceof LedgerConflict) {
    return err.code === 'stale_object' ? `Someone changed this transaction in ${label} at the same moment. Apply it again.` : err.message;
  }
  if (err instanceof AppException) {
    if (err.code === 'NEEDS_RECONNECT' || err.code === 'NO_CONNECTION') return `${label} no longer accepts this connection. Reconnect it, then apply again.`;
    if (err.code === 'LEDGER_UNAVAILABLE' || err.code === 'LEDGER_RATE_LIMITED') return `${label} could not be reached. Apply it again in a few minutes.`;
    return err.message;
  }
  if (isTransient(err)) return `${label} could not be reached. Apply it again in a few minutes.`;
  return 'Something went wrong on our side. Apply it again, and tell us if it keeps happening.';
}

/** The worker's side of questions: write-backs to the ledger, and the question emails. */
@Module({
  imports: [LedgerAccessModule, SyncRequestsModule, NotificationsModule],
  providers: [QuestionsProcessor, QuestionNotices, ContactTokensService, Clock, ActivityService],
  exports: [QuestionNotices],
})
export class QuestionsWorkerModule {}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  LedgerGrantRevoked,
  LedgerRateLimited,
  LedgerRequestFailed,
  LedgerTokenExpired,
  LedgerUnavailable,
  type ClassTracking,
  type LedgerProvider,
  type ProviderName,
  type TransactionPage,
} from '@ledgerport/ledger';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import { ConnectionTokens, PROVIDER_LABELS, saveCompanyDetails } from '@ledgerport/server/connections';
import { AppException } from '@ledgerport/server/errors';
import { returningRows } from '@ledgerport/server/db';
import type { SyncConnectionPayload } from '@ledgerport/server/jobs';
import { DETAILS_REQUESTS, LedgerLimits, RateLimitWait, SyncRequests, type SyncRunRow } from '@ledgerport/server/sync';
import { refreshConnectionCounts, reviewRules, writeTransactions, type ReviewRules, type WriteCounts, type WriteTarget } from './transaction-writer';

export type SliceOutcome = { kind: 'done' } | { kind: 'more'; delayMs: number };

/** The first slice of a run; each later one doubles, up to SYNC_SLICE_MS. */
export const FIRST_SLICE_MS = 250;

/**
 * How long the run's slice number `slice` (0 first) may work: short at first, so a small sync
 * finishes in its first slice or two without waiting behind long ones, doubling after that, so a
 * long backfill is not cut into slices so short that switching costs more than it gives.
 */
export function sliceMs(slice: number, maxMs: number): number {
  return Math.min(maxMs, FIRST_SLICE_MS * 2 ** Math.min(slice, 20));
}

/** Transient failures in a row before a run gives up. */
const MAX_ATTEMPTS = 10;
/** Changes are read from a little before the last run started: clocks differ, and re-reading is harmless. */
const OVERLAP_MS = 2 * 60_000;
/** The chart of accounts, classes and payees are re-read at most this often by incremental runs. */
const LISTS_EVERY_MS = 6 * 3600_000;
const LISTS = '_lists';

/**
 * Whether reading a type by its change time also returns what was deleted. Xero's
 * If-Modified-Since does (as DELETED or VOIDED); QuickBooks' query never returns a deleted
 * transaction, so when its CDC cannot answer, the window is re-read and what is missing is deleted.
 */
const CHANGE_READ_SEES_DELETIONS: Record<ProviderName, boolean> = { qbo: false, xero: true };

interface ConnRow {
  id: string;
  firm_id: string;
  client_id: string;
  provider: ProviderName;
  status: string;
  external_id: string;
  class_tracking: ClassTracking;
  backfill_from: string | null;
  backfilled_at: Date | null;
  synced_through: Date | null;
  last_refreshed_at: Date | null;
}

/** A failure, in the words the console shows, and whether trying again later can help. */
interface Classified {
  kind: 'wait' | 'transient' | 'fatal';
  code: string;
  message: string;
  delayMs?: number;
}

/**
 * Runs sync jobs (S1–S5) in slices: each slice works on one connection for a while (see sliceMs),
 * then the job goes back to the queue, so a huge backfill never starves a small sync.
 * Every page is written with its checkpoint in one transaction: a run killed at any moment resumes
 * at the page after the last one committed, and re-reading a page changes nothing.
 */
@Injectable()
export class SyncEngine {
  private readonly logger = new Logger(SyncEngine.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tokens: ConnectionTokens,
    private readonly requests: SyncRequests,
    private readonly limits: LedgerLimits,
  ) {}

  async runSlice(job: SyncConnectionPayload, shouldStop: () => boolean): Promise<SliceOutcome> {
    const deadline = Date.now() + sliceMs(job.slices ?? 0, this.config.SYNC_SLICE_MS);
    const [run]: SyncRunRow[] = await this.db.query(`SELECT * FROM sync_runs WHERE id = $1`, [job.runId]);
    if (!run || run.status === 'succeeded' || run.status === 'failed') return { kind: 'done' };
    const conn = await this.connection(run.connection_id);
    if (!conn || conn.status !== 'connected') {
      await this.finish(run, 'failed', { code: 'NEEDS_RECONNECT', message: 'The ledger connection needs to be reconnected before it can sync.' });
      return { kind: 'done' };
    }
    if (run.status === 'queued') {
      await this.db.query(`UPDATE sync_runs SET status = 'running', started_at = now(), since = $2 WHERE id = $1`, [run.id, conn.synced_through]);
      run.status = 'running';
    }
    const [{ since, started_at }]: { since: Date | null; started_at: Date }[] = await this.db.query(`SELECT since, started_at FROM sync_runs WHERE id = $1`, [run.id]);
    try {
      const complete =
        run.kind === 'backfill' || !since
          ? await this.backfill(run, conn, started_at, deadline, shouldStop)
          : await this.incremental(run, conn, since, started_at, deadline, shouldStop);
      if (!complete) return { kind: 'more', delayMs: 0 };
      await this.finish(run, 'succeeded');
      if (await this.requests.takeAgain(conn.id)) await this.requests.request(conn.id, 'webhook');
      return { kind: 'done' };
    } catch (err) {
      const c = this.classify(err, conn.provider);
      if (c.kind === 'wait') {
        // The provider itself refused (not our limiter): counted, so a benchmark can prove there are none.
        if (c.code === 'THROTTLED') {
          await this.db.query(`UPDATE sync_runs SET throttled = throttled + 1 WHERE id = $1`, [run.id]);
          this.logger.warn({ run: run.id, connection: conn.id, err: (err as Error).message, retryInMs: c.delayMs }, 'The ledger refused a call: rate limit');
        }
        return { kind: 'more', delayMs: c.delayMs ?? 1000 };
      }
      if (c.kind === 'transient') {
        const [{ attempts }] = await returningRows<{ attempts: number }>(
          this.db,
          `UPDATE sync_runs SET attempts = attempts + 1, error_code = $2, error = $3 WHERE id = $1 RETURNING attempts`,
          [run.id, c.code, c.message],
        );
        if (attempts < MAX_ATTEMPTS) return { kind: 'more', delayMs: backoffMs(attempts) };
      }
      await this.finish(run, 'failed', c);
      return { kind: 'done' };
    }
  }

  // ------------------------------------------------------------------ backfill

  /** S1: the lists, then every type page by page from the window's start. True when all is read. */
  private async backfill(run: SyncRunRow, conn: ConnRow, startedAt: Date, deadline: number, shouldStop: () => boolean): Promise<boolean> {
    const from = conn.backfill_from ?? (await this.setWindow(conn));
    const checkpoints = await this.checkpoints(conn.id);
    if (!checkpoints.get(LISTS)?.done) {
      await this.readLists(run, conn);
      // Not cut here on time: a small ledger's types are one page each, and a slice that ended
      // after the lists would send it to the back of the queue for the few calls left.
      if (shouldStop()) return false;
    }
    const types = this.ledger(conn.provider).transactionTypes();
    const rules = await this.rules(conn);
    const left = types.filter((t) => !checkpoints.get(t)?.done);
    // Steps: the lists, then one per type.
    await this.setPhase(run.id, left[0] ?? 'lists', 1 + types.length - left.length, types.length + 1);
    const finished = await this.lanes(left, (type) =>
      this.pages(run, conn, rules, type, { from }, checkpoints.get(type)?.cursor ?? null, deadline, shouldStop),
    );
    if (!finished) return false;
    // Changes made while the backfill ran are read by the next (incremental) run.
    await this.db.transaction(async (m) => {
      await m.query(
        `UPDATE ledger_connections SET backfilled_at = now(), synced_through = $2, updated_at = now() WHERE id = $1`,
        [conn.id, new Date(startedAt.getTime() - OVERLAP_MS)],
      );
      await m.query(`DELETE FROM sync_checkpoints WHERE connection_id = $1`, [conn.id]);
    });
    // Merge the search index's pending entries now, so searches do not pay for them.
    await this.db.query(`SELECT gin_clean_pending_list('ix_ledger_transactions_search'::regclass)`);
    return true;
  }

  // ------------------------------------------------------------------ incremental

  /**
   * S2: what changed since the last run. QuickBooks' CDC in one call when it can answer in full.
   * Otherwise Xero reads each type by its change time (deletions included). QuickBooks (a gap over
   * 30 days, more than 1,000 changes) re-reads the backfill window, noting what it sees, and marks
   * deleted what it did not see: its query never returns a deleted transaction.
   */
  private async incremental(run: SyncRunRow, conn: ConnRow, since: Date, startedAt: Date, deadline: number, shouldStop: () => boolean): Promise<boolean> {
    const checkpoints = await this.checkpoints(conn.id);
    if (!checkpoints.get(LISTS)?.done && (!conn.last_refreshed_at || Date.now() - conn.last_refreshed_at.getTime() > LISTS_EVERY_MS)) {
      await this.readLists(run, conn);
    }
    const rules = await this.rules(conn);
    const types = this.ledger(conn.provider).transactionTypes();
    const paging = [...checkpoints.keys()].some((k) => k.startsWith('inc:') || k.startsWith('rec:'));
    let viaChanges = false;
    if (!paging) {
      await this.setPhase(run.id, 'changes', 0, 1);
      const changes = await this.call(conn, (l, t, e) => l.changes(t, e, since));
      // QuickBooks pages a backfill by position: a deletion while it ran shifts the rows after it
      // back, so one may have been skipped. The first run after such a backfill re-reads the window.
      const shifted =
        !CHANGE_READ_SEES_DELETIONS[conn.provider] &&
        conn.backfilled_at !== null &&
        since.getTime() < conn.backfilled_at.getTime() &&
        !!changes?.items.some((t) => t.deleted);
      if (changes?.complete && !shifted) {
        await this.db.transaction(async (m) => {
          const counts = await writeTransactions(m, this.target(conn), changes.items, rules);
          await this.progress(m, run.id, counts, changes.items.length, 'changes', 1);
        });
        viaChanges = true;
      }
    }
    const reconcile = !viaChanges && !CHANGE_READ_SEES_DELETIONS[conn.provider];
    const from = reconcile ? (conn.backfill_from ?? (await this.setWindow(conn))) : null;
    if (reconcile) {
      // The whole window again, noting what is seen; a fresh start forgets an abandoned attempt's notes.
      if (![...checkpoints.keys()].some((k) => k.startsWith('rec:'))) await this.db.query(`DELETE FROM sync_seen WHERE connection_id = $1`, [conn.id]);
      const left = types.filter((t) => !checkpoints.get(`rec:${t}`)?.done);
      await this.setPhase(run.id, left[0] ?? 'changes', types.length - left.length, types.length + 1);
      const finished = await this.lanes(left, (type) =>
        this.pages(run, conn, rules, type, { from: from as string }, checkpoints.get(`rec:${type}`)?.cursor ?? null, deadline, shouldStop, 'rec:', true),
      );
      if (!finished) return false;
    } else if (!viaChanges) {
      const left = types.filter((t) => !checkpoints.get(`inc:${t}`)?.done);
      await this.setPhase(run.id, left[0] ?? 'changes', types.length - left.length, types.length);
      const finished = await this.lanes(left, (type) =>
        this.pages(run, conn, rules, type, { changedSince: since }, checkpoints.get(`inc:${type}`)?.cursor ?? null, deadline, shouldStop, 'inc:'),
      );
      if (!finished) return false;
    }
    await this.db.transaction(async (m) => {
      if (reconcile) {
        // In the same transaction as dropping the checkpoints: a crash here re-runs this step with
        // the same notes, never with none (which would mark everything deleted).
        const gone = await returningRows<{ id: string }>(
          m,
          `UPDATE ledger_transactions t SET deleted = true, updated_at = now()
            WHERE t.connection_id = $1 AND NOT t.deleted AND t.txn_date >= $2::date
              AND NOT EXISTS (SELECT 1 FROM sync_seen s WHERE s.connection_id = t.connection_id AND s.provider_type = t.provider_type AND s.provider_id = t.provider_id)
           RETURNING t.id`,
          [conn.id, from],
        );
        await m.query(`DELETE FROM sync_seen WHERE connection_id = $1`, [conn.id]);
        await m.query(`UPDATE sync_runs SET removed = removed + $2, progress_done = coalesce(progress_total, progress_done) WHERE id = $1`, [run.id, gone.length]);
      }
      await m.query(`UPDATE ledger_connections SET synced_through = $2, updated_at = now() WHERE id = $1`, [conn.id, new Date(startedAt.getTime() - OVERLAP_MS)]);
      await m.query(`DELETE FROM sync_checkpoints WHERE connection_id = $1`, [conn.id]);
    });
    return true;
  }

  // ------------------------------------------------------------------ pages

  /**
   * Reads the types in SYNC_LANES parallel lanes (each type stays in one lane, with its own
   * checkpoint), so the ledger, this process and PostgreSQL work at the same time. True when every
   * type was read to its end.
   */
  private async lanes(types: string[], read: (type: string) => Promise<boolean>): Promise<boolean> {
    const queue = [...types];
    let complete = true;
    const lane = async () => {
      for (let type = queue.shift(); type !== undefined; type = queue.shift()) {
        if (!(await read(type))) {
          complete = false;
          queue.length = 0;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.config.SYNC_LANES, Math.max(1, types.length)) }, lane));
    return complete;
  }

  /**
   * Reads one type page by page, the next page fetched while the current one is written. Each
   * page commits with its checkpoint (the cursor of the page after it). False when the slice ran
   * out of time (or the worker is stopping) before the last page.
   */
  private async pages(
    run: SyncRunRow,
    conn: ConnRow,
    rules: ReviewRules,
    type: string,
    filter: { from?: string; changedSince?: Date },
    cursor: string | null,
    deadline: number,
    shouldStop: () => boolean,
    prefix = '',
    /** Note every transaction read in sync_seen (the QuickBooks re-read that finds deletions). */
    noteSeen = false,
  ): Promise<boolean> {
    const pageSize = this.config.SYNC_PAGE_SIZE;
    const fetchPage = (c: string | null) => this.call(conn, (l, t, e) => l.transactions(t, e, { type, ...filter, cursor: c, ...(pageSize ? { pageSize } : {}) }));
    let pending: Promise<TransactionPage> | null = fetchPage(cursor);
    while (pending) {
      const page: TransactionPage = await pending;
      pending = null;
      const more = page.next !== null;
      const keepGoing = more && !this.outOfTime(deadline, shouldStop);
      // Read ahead while this page is written; a read-ahead abandoned at the slice's end costs one call.
      if (keepGoing) {
        pending = fetchPage(page.next);
        pending.catch(() => undefined);
      }
      await this.db.transaction(async (m) => {
        // A crash of PostgreSQL itself can lose only whole page-and-checkpoint pairs: re-read, not lost.
        await m.query(`SET LOCAL synchronous_commit = off`);
        const counts = await writeTransactions(m, this.target(conn), page.items, rules);
        if (noteSeen && page.items.length) {
          await m.query(
            `INSERT INTO sync_seen (connection_id, provider_type, provider_id) SELECT $1, x.t, x.i FROM unnest($2::text[], $3::text[]) AS x(t, i) ON CONFLICT DO NOTHING`,
            [conn.id, page.items.map((t) => t.type), page.items.map((t) => t.id)],
          );
        }
        await m.query(
          `INSERT INTO sync_checkpoints (connection_id, provider_type, cursor, done, updated_at) VALUES ($1, $2, $3, $4, now())
           ON CONFLICT (connection_id, provider_type) DO UPDATE SET cursor = EXCLUDED.cursor, done = EXCLUDED.done, updated_at = now()`,
          [conn.id, prefix + type, page.next, !more],
        );
        await this.progress(m, run.id, counts, page.items.length, type, more ? 0 : 1);
      });
      if (more && !keepGoing) return false;
    }
    return true;
  }

  /** Accounts, classes and company details, then payees: what the transactions refer to. */
  private async readLists(run: SyncRunRow, conn: ConnRow): Promise<void> {
    await this.setPhase(run.id, 'lists', 0, null);
    // Each call reserves as many slots as the requests it makes at once (details: 3 in QuickBooks, 4 in Xero).
    const details = await this.call(conn, (l, t, e) => l.companyDetails(t, e), DETAILS_REQUESTS[conn.provider]);
    const accounts = await this.call(conn, (l, t, e) => l.accounts(t, e));
    const payees = await this.call(conn, (l, t, e) => l.payees(t, e), 2);
    await this.db.transaction(async (m) => {
      await saveCompanyDetails(m, conn.id, conn.firm_id, details, accounts);
      await m.query(
        `INSERT INTO ledger_payees (connection_id, firm_id, external_id, name, kind, active, updated_at)
         SELECT $1, $2, p.id, p.name, p.kind, p.active, now() FROM jsonb_to_recordset($3::jsonb) AS p(id text, name text, kind text, active boolean)
         ON CONFLICT (connection_id, external_id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, active = EXCLUDED.active, updated_at = now()`,
        [conn.id, conn.firm_id, JSON.stringify(payees)],
      );
      await m.query(
        `INSERT INTO sync_checkpoints (connection_id, provider_type, cursor, done) VALUES ($1, $2, NULL, true)
         ON CONFLICT (connection_id, provider_type) DO UPDATE SET done = true, updated_at = now()`,
        [conn.id, LISTS],
      );
    });
    conn.class_tracking = details.classTracking;
  }

  // ------------------------------------------------------------------ calls and limits

  /**
   * One call to the ledger: a valid token (refreshed under the connection's lock when needed) and,
   * unless switched off for benchmarks, a slot under the provider's limits shared by every worker.
   */
  private call<T>(conn: ConnRow, work: (ledger: LedgerProvider, token: string, externalId: string) => Promise<T>, requests = 1): Promise<T> {
    return this.tokens.withLedger(conn.id, (ledger, token, externalId) => this.limits.run(conn.provider, externalId, requests, () => work(ledger, token, externalId)));
  }

  private classify(err: unknown, provider: ProviderName): Classified {
    const label = PROVIDER_LABELS[provider];
    if (err instanceof RateLimitWait) return { kind: 'wait', code: 'RATE_LIMITED', message: `Waiting for ${label}'s rate limit.`, delayMs: err.retryAfterMs };
    if (err instanceof LedgerRateLimited) return { kind: 'wait', code: 'THROTTLED', message: `${label} asked us to slow down.`, delayMs: err.retryAfterMs };
    if (err instanceof AppException) {
      const code = err.code;
      if (code === 'LEDGER_RATE_LIMITED') {
        const s = Number((err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 5);
        return { kind: 'wait', code: 'THROTTLED', message: `${label} asked us to slow down.`, delayMs: s * 1000 };
      }
      if (code === 'LEDGER_UNAVAILABLE') return { kind: 'transient', code: 'LEDGER_UNAVAILABLE', message: `${label} could not be reached. We will keep trying.` };
      if (code === 'NEEDS_RECONNECT' || code === 'NO_CONNECTION') {
        return { kind: 'fatal', code: 'NEEDS_RECONNECT', message: `${label} no longer accepts this connection. Reconnect it, and the sync starts again.` };
      }
      if (code === 'LEDGER_REFUSED') return { kind: 'fatal', code: 'LEDGER_REFUSED', message: err.message };
      return { kind: 'fatal', code: code || 'SYNC_FAILED', message: err.message };
    }
    if (err instanceof LedgerUnavailable || err instanceof LedgerTokenExpired) {
      return { kind: 'transient', code: 'LEDGER_UNAVAILABLE', message: `${label} could not be reached. We will keep trying.` };
    }
    if (err instanceof LedgerGrantRevoked) {
      return { kind: 'fatal', code: 'NEEDS_RECONNECT', message: `${label} no longer accepts this connection. Reconnect it, and the sync starts again.` };
    }
    if (err instanceof LedgerRequestFailed) return { kind: 'fatal', code: 'LEDGER_REFUSED', message: `${label} refused a request: ${err.message}` };
    this.logger.error({ err: (err as Error)?.stack ?? String(err) }, 'Sync failed unexpectedly');
    return { kind: 'transient', code: 'SYNC_ERROR', message: 'Something went wrong on our side while syncing. We will try again.' };
  }

  // ------------------------------------------------------------------ bookkeeping

  private async finish(run: SyncRunRow, status: 'succeeded' | 'failed', error?: { code: string; message: string }): Promise<void> {
    await this.db.transaction(async (m) => {
      await m.query(
        `UPDATE sync_runs SET status = $2, finished_at = now(), error_code = $3, error = $4, phase = NULL,
                progress_done = CASE WHEN $2 = 'succeeded' THEN coalesce(progress_total, progress_done) ELSE progress_done END
          WHERE id = $1`,
        [run.id, status, error?.code ?? null, error?.message ?? null],
      );
      await m.query(
        `UPDATE ledger_connections SET last_sync_run_id = $2, last_synced_at = CASE WHEN $3 THEN now() ELSE last_synced_at END WHERE id = $1`,
        [run.connection_id, run.id, status === 'succeeded'],
      );
      await refreshConnectionCounts(m, run.connection_id);
    });
    if (status === 'failed') this.logger.warn({ run: run.id, connection: run.connection_id, code: error?.code }, `Sync failed: ${error?.message}`);
  }

  private async progress(m: EntityManager, runId: string, c: WriteCounts, read: number, phase: string, steps = 0): Promise<void> {
    await m.query(
      `UPDATE sync_runs SET pages = pages + 1, added = added + $2, changed = changed + $3, removed = removed + $4,
              attempts = 0, error_code = NULL, error = NULL, phase = $5, read_count = read_count + $6,
              progress_done = least(progress_done + $7, coalesce(progress_total, progress_done + $7))
        WHERE id = $1`,
      [runId, c.added, c.changed, c.removed, phase, read, steps],
    );
  }

  private async setPhase(runId: string, phase: string, step: number, steps: number | null): Promise<void> {
    await this.db.query(`UPDATE sync_runs SET phase = $2, progress_done = $3, progress_total = $4 WHERE id = $1`, [runId, phase, step, steps]);
  }

  private async setWindow(conn: ConnRow): Promise<string> {
    const d = new Date();
    d.setUTCMonth(d.getUTCMonth() - this.config.SYNC_BACKFILL_MONTHS);
    const from = d.toISOString().slice(0, 10);
    await this.db.query(`UPDATE ledger_connections SET backfill_from = $2 WHERE id = $1`, [conn.id, from]);
    return from;
  }

  private async checkpoints(connectionId: string): Promise<Map<string, { cursor: string | null; done: boolean }>> {
    const rows: { provider_type: string; cursor: string | null; done: boolean }[] = await this.db.query(
      `SELECT provider_type, cursor, done FROM sync_checkpoints WHERE connection_id = $1`,
      [connectionId],
    );
    return new Map(rows.map((r) => [r.provider_type, { cursor: r.cursor, done: r.done }]));
  }

  private rules(conn: ConnRow): Promise<ReviewRules> {
    return reviewRules(this.db, conn.id);
  }

  private async connection(id: string): Promise<ConnRow | undefined> {
    const [row]: ConnRow[] = await this.db.query(
      `SELECT id, firm_id, client_id, provider, status, external_id, class_tracking, to_char(backfill_from, 'YYYY-MM-DD') AS backfill_from,
              backfilled_at, synced_through, last_refreshed_at
         FROM ledger_connections WHERE id = $1`,
      [id],
    );
    return row;
  }

  private ledger(provider: ProviderName): LedgerProvider {
    return this.tokens.provider(provider);
  }

  private target(conn: ConnRow): WriteTarget {
    return { connectionId: conn.id, firmId: conn.firm_id, clientId: conn.client_id, provider: conn.provider };
  }

  private outOfTime(deadline: number, shouldStop: () => boolean): boolean {
    return shouldStop() || Date.now() >= deadline;
  }
}

/** Exponential backoff with jitter: about 0.5 s, 1 s, 2 s, … capped at 10 minutes (10 tries: ~4 minutes in all). */
export function backoffMs(attempt: number): number {
  const cap = Math.min(600_000, 250 * 2 ** attempt);
  return Math.round(cap / 2 + Math.random() * (cap / 2));
}


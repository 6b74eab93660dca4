import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { ensureDatabase, runMigrations } from '@ledgerport/server/db';
import { QueueName } from '@ledgerport/server/jobs';
import { SyncScheduler } from '@ledgerport/server/sync-worker';
import { controlClient, startSandbox, type RunningSandbox } from '../../ledger-sandbox/src/testing';
import { WorkerModule } from '../../worker/src/worker.module';
import { connectLedger, TestContext, type Agent, type TestFirm } from './harness';

/**
 * The schedule's tick and the queue's order, which look at every connection and every open run:
 * so this file has a database and a Redis prefix of its own, where no other test file's
 * connections are due. The real API, worker module, sandbox, PostgreSQL and Redis.
 */
jest.setTimeout(180_000);

describe('sync schedule and fairness (S1, S2)', () => {
  let sandbox: RunningSandbox;
  let ctx: TestContext;
  let worker: INestApplicationContext;
  let queue: Queue;
  let databaseUrl: string;
  const control = controlClient(() => sandbox.url).call;

  type Run = { id: string; client_id: string; status: string; kind: string; trigger: string; started_at: Date | null; finished_at: Date | null };
  const runsOf = (clientIds: string[]): Promise<Run[]> =>
    ctx.db.query(`SELECT id, client_id, status, kind, trigger, started_at, finished_at FROM sync_runs WHERE client_id = ANY($1::uuid[]) ORDER BY queued_at`, [clientIds]);

  /** Waits until none of these clients has a run queued or running. */
  async function settled(clientIds: string[]): Promise<Run[]> {
    const until = Date.now() + 150_000;
    for (;;) {
      const runs = await runsOf(clientIds);
      if (runs.length && runs.every((r) => r.status === 'succeeded' || r.status === 'failed')) return runs;
      if (Date.now() > until) throw new Error(`runs did not finish: ${JSON.stringify(runs)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** A sandbox QuickBooks company of its own, connected to the client as an admin would. */
  async function connect(admin: Agent, clientId: string, transactions: number): Promise<void> {
    const name = ctx.unique('Company');
    await control('POST', '/companies', { provider: 'qbo', name, transactions, seed: name });
    const { callback } = await connectLedger(admin, sandbox.url, clientId, 'qbo', name);
    expect(callback.status).toBe(200);
  }

  beforeAll(async () => {
    const url = new URL(process.env.DATABASE_URL as string);
    url.pathname = `${url.pathname}_schedule`;
    databaseUrl = url.toString();
    await ensureDatabase(databaseUrl);
    await runMigrations(databaseUrl);
    sandbox = await startSandbox();
    ctx = await TestContext.start({
      DATABASE_URL: databaseUrl,
      REDIS_PREFIX: `${process.env.REDIS_PREFIX}:schedule`,
      LEDGER_SANDBOX_URL: sandbox.url,
      // One sync at a time and small pages, so the order the queue hands out runs is what is seen.
      SYNC_CONCURRENCY: '1',
      SYNC_PAGE_SIZE: '50',
      SYNC_SLICE_MS: '2000',
    });
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false, abortOnError: false });
    queue = worker.get<Queue>(getQueueToken(QueueName.SYNC));
  });

  afterAll(async () => {
    await worker?.close();
    await ctx?.close();
    await sandbox?.close();
    const admin = new URL(databaseUrl);
    admin.pathname = '/postgres';
    const ds = await new DataSource({ type: 'postgres', url: admin.toString() }).initialize();
    await ds.query(`DROP DATABASE IF EXISTS "${new URL(databaseUrl).pathname.slice(1)}" WITH (FORCE)`);
    await ds.destroy();
  });

  it('a small sync overtakes a long backfill queued before it, and a firm with one sync overtakes a firm with several', async () => {
    const big: TestFirm = await ctx.newFirm({ clients: ['Large', 'Small 1', 'Small 2'] });
    const other: TestFirm = await ctx.newFirm({ clients: ['Other'] });
    const bigAdmin = await ctx.signIn(big.admin.email);
    const otherAdmin = await ctx.signIn(other.admin.email);
    const [large, small1, small2] = big.clients;
    const [lone] = other.clients;

    // Everyone at the start line: the large backfill first (the worst case for a first-come
    // queue), then the big firm's two small ones, then the other firm's single small one.
    await queue.pause();
    await connect(bigAdmin, large.id, 6000);
    await connect(bigAdmin, small1.id, 40);
    await connect(bigAdmin, small2.id, 40);
    await connect(otherAdmin, lone.id, 40);
    await queue.resume();

    const runs = await settled([large.id, small1.id, small2.id, lone.id]);
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    const at = (clientId: string, k: 'started_at' | 'finished_at') => (runs.find((r) => r.client_id === clientId)?.[k] as Date).getTime();
    // The large backfill began first, had a short first slice, and finished last.
    expect(at(large.id, 'started_at')).toBeLessThan(at(lone.id, 'started_at'));
    for (const c of [small1, small2, lone]) expect(at(c.id, 'finished_at')).toBeLessThan(at(large.id, 'finished_at'));
    // The other firm's only sync, queued last, went before the big firm's small ones.
    expect(at(lone.id, 'started_at')).toBeLessThan(at(small1.id, 'started_at'));
    expect(at(small1.id, 'started_at')).toBeLessThan(at(small2.id, 'started_at'));
  });

  it('the tick queues the connections whose firm interval has passed, once, and puts back a run whose job was lost', async () => {
    const firm: TestFirm = await ctx.newFirm({ clients: ['Due', 'Recent', 'Unsynced', 'Needs reconnect'] });
    const slow: TestFirm = await ctx.newFirm({ clients: ['Hourly'] });
    const admin = await ctx.signIn(firm.admin.email);
    const slowAdmin = await ctx.signIn(slow.admin.email);
    const [due, recent, unsynced, broken] = firm.clients;
    const [hourly] = slow.clients;
    for (const c of [due, recent, unsynced, broken]) await connect(admin, c.id, 20);
    await connect(slowAdmin, hourly.id, 20);
    const ids = [due.id, recent.id, unsynced.id, broken.id, hourly.id];
    await settled(ids);

    // The clock's view, as the schedule sees it: the firms' intervals and when each last synced.
    await ctx.db.query(`UPDATE firms SET sync_interval_minutes = 60 WHERE id = $1`, [slow.id]);
    const ago = (clientId: string, minutes: number | null) =>
      ctx.db.query(
        `UPDATE ledger_connections SET last_synced_at = CASE WHEN $2::int IS NULL THEN NULL ELSE now() - make_interval(mins => $2::int) END WHERE client_id = $1`,
        [clientId, minutes],
      );
    await ago(due.id, 31); // the default 30 minutes have passed
    await ago(recent.id, 10);
    await ago(unsynced.id, null); // never synced: always due
    await ago(broken.id, 120);
    await ctx.db.query(`UPDATE ledger_connections SET status = 'needs_reconnect' WHERE client_id = $1`, [broken.id]);
    await ago(hourly.id, 45); // its firm syncs hourly

    await queue.pause();
    const scheduler = worker.get(SyncScheduler);
    expect(await scheduler.tick()).toEqual({ queued: 2, requeued: 0 });
    const queued = (await runsOf(ids)).filter((r) => r.status === 'queued');
    expect(queued.map((r) => r.client_id).sort()).toEqual([due.id, unsynced.id].sort());
    for (const r of queued) {
      expect(r).toMatchObject({ trigger: 'schedule', kind: 'incremental' });
      expect(await queue.getJob(r.id)).toBeTruthy();
    }
    // A second tick finds them open and queues nothing twice.
    expect(await scheduler.tick()).toEqual({ queued: 0, requeued: 0 });

    // A job lost from Redis (flushed, say): the next tick puts it back once the run is a minute old.
    const lost = queued.find((r) => r.client_id === due.id) as Run;
    await queue.remove(lost.id);
    expect(await queue.getJob(lost.id)).toBeFalsy();
    expect(await scheduler.tick()).toEqual({ queued: 0, requeued: 0 });
    await ctx.db.query(`UPDATE sync_runs SET queued_at = now() - interval '2 minutes' WHERE id = $1`, [lost.id]);
    expect(await scheduler.tick()).toEqual({ queued: 0, requeued: 1 });
    expect(await queue.getJob(lost.id)).toBeTruthy();

    await queue.resume();
    const after = await settled(ids);
    for (const r of after.filter((x) => x.trigger === 'schedule')) expect(r.status).toBe('succeeded');
  });
});

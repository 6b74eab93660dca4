import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { controlClient, startSandbox, type RunningSandbox } from '../../ledger-sandbox/src/testing';
import IORedis from 'ioredis';
import { LedgerRateLimiter } from '@ledgerport/server/sync';
import { connectLedger, TestContext, type Agent, type TestFirm } from './harness';

/**
 * Crash safety of the sync worker (S1): real worker processes, killed mid-backfill with SIGKILL
 * (no chance to clean up) or stopped with SIGTERM, then started again. The result must be exactly
 * the ledger's transactions: nothing missing, nothing twice.
 */
jest.setTimeout(240_000);

const ROOT = join(__dirname, '../../..');
const TRANSACTIONS = 12_000;

describe('sync worker crash safety (real processes)', () => {
  let sandbox: RunningSandbox;
  let ctx: TestContext;
  let firm: TestFirm;
  let admin: Agent;
  const children = new Set<ChildProcess>();

  /** A worker process, as `npm start` runs one (from the TypeScript sources), sharing this test's database and Redis. */
  function startWorker(env: Record<string, string> = {}): ChildProcess {
    const child = spawn(process.execPath, ['-r', './tools/swc-register.cjs', 'apps/worker/src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, SYNC_LOCK_MS: '2000', SYNC_SLICE_MS: '1000', LOG_LEVEL: 'error', SYNC_SCHEDULE: 'off', ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.add(child);
    child.on('exit', () => children.delete(child));
    return child;
  }

  const exited = (child: ChildProcess) =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
      else child.once('exit', (code, signal) => resolve({ code, signal }));
    });

  const storedCount = async (clientId: string): Promise<number> =>
    (await ctx.db.query(`SELECT count(*)::int AS n FROM ledger_transactions WHERE client_id = $1`, [clientId]))[0].n;

  async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 120_000): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  const sandboxApi = controlClient(() => sandbox.url);
  const companyTruth = async (companyId: string) => new Set((await sandboxApi.transactions(companyId)).filter((t) => !t.deleted).map((t) => t.id));

  /** A client connected to a new QuickBooks company of TRANSACTIONS transactions; its first sync is queued, no worker yet. */
  async function bigClient(name: string): Promise<{ clientId: string; companyId: string }> {
    const company = await sandboxApi.send<{ id: string }>('/companies', { provider: 'qbo', name, transactions: TRANSACTIONS, classTracking: 'off', seed: name });
    const client = await ctx.newClient(firm.id, name);
    const { callback } = await connectLedger(admin, sandbox.url, client.id, 'qbo', name);
    expect(callback.status).toBe(200);
    return { clientId: client.id, companyId: company.id };
  }

  async function expectExactly(clientId: string, companyId: string): Promise<void> {
    const truth = await companyTruth(companyId);
    const rows: { provider_id: string }[] = await ctx.db.query(`SELECT provider_id FROM ledger_transactions WHERE client_id = $1 AND NOT deleted`, [clientId]);
    expect(rows.length).toBe(truth.size); // nothing twice…
    expect(new Set(rows.map((r) => r.provider_id))).toEqual(truth); // …nothing missing
  }

  const lastRun = async (clientId: string) =>
    (await ctx.db.query(`SELECT status, kind, error FROM sync_runs WHERE client_id = $1 ORDER BY queued_at DESC LIMIT 1`, [clientId]))[0];

  beforeAll(async () => {
    sandbox = await startSandbox();
    ctx = await TestContext.start({ LEDGER_SANDBOX_URL: sandbox.url });
    firm = await ctx.newFirm();
    admin = await ctx.signIn(firm.admin.email);
  });
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await ctx?.close();
    await sandbox?.close();
  });

  it('SIGKILL mid-backfill, then a new worker: exactly the ledger’s transactions', async () => {
    const { clientId, companyId } = await bigClient('Crash Roasters');
    const first = startWorker();
    // Mid-backfill: some pages committed, far from all.
    const midway = await waitFor('the first pages', async () => {
      const n = await storedCount(clientId);
      return n > 0 && n < TRANSACTIONS / 2 ? n : false;
    });
    first.kill('SIGKILL');
    expect((await exited(first)).signal).toBe('SIGKILL');
    const atKill = await storedCount(clientId);
    expect(atKill).toBeGreaterThanOrEqual(midway);
    expect(atKill).toBeLessThan(TRANSACTIONS);
    expect((await lastRun(clientId)).status).toBe('running');

    const second = startWorker();
    await waitFor('the run to finish', async () => ((await lastRun(clientId)).status === 'succeeded' ? true : false));
    await expectExactly(clientId, companyId);
    second.kill('SIGTERM');
    expect((await exited(second)).code).toBe(0);
  });

  it('SIGTERM finishes the page in hand and exits cleanly; the next worker completes the run', async () => {
    const { clientId, companyId } = await bigClient('Term Bakery');
    const first = startWorker();
    await waitFor('the first pages', async () => {
      const n = await storedCount(clientId);
      return n > 0 && n < TRANSACTIONS / 2;
    });
    first.kill('SIGTERM');
    const exit = await exited(first);
    expect(exit).toEqual({ code: 0, signal: null });
    // Every committed page has its checkpoint: what is stored is whole pages.
    const stored = await storedCount(clientId);
    const [{ pages, read }] = await ctx.db.query(`SELECT pages, read_count AS read FROM sync_runs WHERE client_id = $1`, [clientId]);
    expect(stored).toBe(read);
    expect(pages).toBeGreaterThan(0);
    expect((await lastRun(clientId)).status).toBe('running');

    const second = startWorker();
    await waitFor('the run to finish', async () => ((await lastRun(clientId)).status === 'succeeded' ? true : false));
    await expectExactly(clientId, companyId);
    second.kill('SIGTERM');
    await exited(second);
  });

  it('two worker processes syncing one QuickBooks company never pass its limits: no 429, all complete', async () => {
    const name = 'Shared Realm Co';
    const { id: realm } = await sandboxApi.send<{ id: string }>('/companies', { provider: 'qbo', name, transactions: 1200, classTracking: 'off', seed: name });
    // Six clients on the same realm, every call slowed down so that many would be in flight at once.
    const clients: string[] = [];
    for (let i = 0; i < 6; i++) {
      const c = await ctx.newClient(firm.id, `${name} ${i}`);
      await connectLedger(admin, sandbox.url, c.id, 'qbo', name);
      clients.push(c.id);
    }
    await sandboxApi.send('/faults', { provider: 'qbo', companyId: realm, kind: 'latency', latencyMs: 150, count: 100_000 });
    const redis = new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const limiter = new LedgerRateLimiter(redis, process.env.REDIS_PREFIX as string);
    let peak = 0;
    const sampler = setInterval(() => {
      void limiter.usage(`qbo:${realm}`).then((u) => (peak = Math.max(peak, u.inFlight)));
    }, 10);
    try {
      const workers = [startWorker({ SYNC_CONCURRENCY: '6', SYNC_PAGE_SIZE: '50' }), startWorker({ SYNC_CONCURRENCY: '6', SYNC_PAGE_SIZE: '50' })];
      await waitFor('every run to finish', async () => {
        const runs: { status: string }[] = await ctx.db.query(`SELECT status FROM sync_runs WHERE client_id = ANY($1::uuid[])`, [clients]);
        return runs.length === clients.length && runs.every((r) => r.status === 'succeeded');
      });
      for (const w of workers) w.kill('SIGTERM');
      await Promise.all(workers.map(exited));
    } finally {
      clearInterval(sampler);
      await sandboxApi.call('DELETE', '/faults');
    }
    const [{ throttled }] = await ctx.db.query(`SELECT sum(throttled)::int AS throttled FROM sync_runs WHERE client_id = ANY($1::uuid[])`, [clients]);
    expect(throttled).toBe(0);
    // Limits were reached, never passed: at most 10 calls in flight across both processes.
    expect(peak).toBeLessThanOrEqual(10);
    expect(peak).toBeGreaterThanOrEqual(8);
    for (const c of clients) await expectExactly(c, realm);
    await redis.quit();
  });
});

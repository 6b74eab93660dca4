// Shared by the sync benchmarks: the built ledger sandbox on its own port, companies in it, clients
// of the demo firm connected to them through the API as a person would, worker processes (with
// their peak RSS), and waiting for runs.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import IORedis from 'ioredis';
import { base, benchEnv, freshDatabase, startApi } from './lib.mjs';
import { connectClient, signedIn } from '../tools/demo-connect.mjs';

export const SANDBOX_PORT = 3928;
export const sandboxUrl = `http://127.0.0.1:${SANDBOX_PORT}`;
const children = [];
export const stopAll = () => children.forEach((c) => c.kill('SIGTERM'));
process.on('exit', stopAll);

export async function waitUntil(probe, what, ms = 30 * 60_000) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Nothing left in Redis from an earlier run (queues, limiter keys), a fresh database, the sandbox and the API. */
export async function setup() {
  const redis = new IORedis(benchEnv.REDIS_URL ?? 'redis://127.0.0.1:6379');
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${benchEnv.REDIS_PREFIX}:*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  const sandbox = spawn('node', ['dist/server/apps/ledger-sandbox/src/main.js'], {
    env: { ...benchEnv, SANDBOX_PORT: String(SANDBOX_PORT), LOG_LEVEL: 'silent', SANDBOX_TRANSACTIONS: '100' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(sandbox);
  await waitUntil(async () => (await fetch(`${sandboxUrl}/healthz`)).ok, 'the sandbox');
  const db = await freshDatabase();
  const stopApi = await startApi({ LEDGER_SANDBOX_URL: sandboxUrl, SYNC_SCHEDULE: 'off' });
  children.push({ kill: stopApi });
  const browser = await signedIn(base, 'owner@northwind.test');
  return { db, redis, browser };
}

/** A QuickBooks company of `transactions` in the sandbox; answers its realm id. */
export async function createCompany(name, transactions) {
  const res = await fetch(`${sandboxUrl}/control/companies`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ provider: 'qbo', name, transactions, classTracking: 'per_txn', uncategorizedShare: 0.05, seed: name }),
  });
  if (!res.ok) throw new Error(`creating ${name} failed: ${res.status} ${await res.text()}`);
  return (await res.json()).id;
}

/** A client of Northwind connected to the sandbox company `company` (its first sync is then queued). */
export async function connectedClient(db, browser, name, company) {
  const { rows: [client] } = await db.query(`INSERT INTO clients (firm_id, name) SELECT id, $1 FROM firms WHERE slug = 'northwind' RETURNING id`, [name]);
  const status = await connectClient(browser, sandboxUrl, client.id, 'qbo', company);
  if (status !== 200) throw new Error(`connecting ${name} failed: ${status}`);
  return client.id;
}

/** Worker processes (built), with a sampler of their peak RSS in kB. */
export function startWorkers(n, env) {
  const workers = Array.from({ length: n }, () => {
    const w = spawn('node', ['dist/server/apps/worker/src/main.js'], {
      env: { ...benchEnv, LEDGER_SANDBOX_URL: sandboxUrl, SYNC_SCHEDULE: 'off', LOG_LEVEL: process.env.WORKER_LOG_LEVEL ?? 'error', ...env },
      stdio: ['ignore', process.env.WORKER_LOG_LEVEL ? 'inherit' : 'ignore', 'inherit'],
    });
    children.push(w);
    return w;
  });
  const stats = { peakRssKb: 0 };
  const timer = setInterval(() => {
    for (const w of workers) {
      try {
        stats.peakRssKb = Math.max(stats.peakRssKb, Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${w.pid}/status`, 'utf8'))?.[1] ?? 0));
      } catch {
        /* exited */
      }
    }
  }, 100);
  return { workers, stats, stop: () => clearInterval(timer) };
}

/** The runs of these clients once none is queued or running. */
export function finishedRuns(db, clientIds) {
  return waitUntil(async () => {
    const { rows } = await db.query(
      `SELECT r.client_id, c.name, r.status, r.error, r.pages, r.read_count, r.throttled, r.queued_at, r.started_at, r.finished_at,
              extract(epoch FROM r.finished_at - r.started_at) AS seconds
         FROM sync_runs r JOIN clients c ON c.id = r.client_id WHERE r.client_id = ANY($1::uuid[])`,
      [clientIds],
    );
    return rows.length === clientIds.length && rows.every((r) => r.status === 'succeeded' || r.status === 'failed') ? rows : undefined;
  }, 'the runs');
}

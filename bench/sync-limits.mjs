#!/usr/bin/env node
// Benchmark: rate-limit discipline (S2). Several clients connected to ONE sandbox QuickBooks
// company (one realm: 500 requests per rolling minute, 10 in flight) are backfilled by several
// worker processes with the product's limits on. Small pages make many requests. Measured: the
// rolling-minute request count the shared limiter sees, sampled every 0.5 s once the first minute
// has passed (the steady state), against the allowed 500, and the ledger's 429 answers (must be 0).
// Usage: npm run build && node bench/sync-limits.mjs [--clients 8] [--transactions 4000] [--page-size 20] [--workers 4]
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { connectedClient, createCompany, finishedRuns, setup, startWorkers, stopAll } from './sync-lib.mjs';
import { benchEnv } from './lib.mjs';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '8' },
    transactions: { type: 'string', default: '4000' },
    'page-size': { type: 'string', default: '20' },
    workers: { type: 'string', default: '4' },
  },
  strict: false,
});
const ALLOWED = 500;
const { db, redis, browser } = await setup();
const realm = await createCompany('Limits Roasters', Number(values.transactions));
const clientIds = [];
for (let i = 0; i < Number(values.clients); i++) clientIds.push(await connectedClient(db, browser, `Limits Client ${i + 1}`, 'Limits Roasters'));

// The workers' own limiter (built), reading the same Redis keys they use.
const { LedgerRateLimiter } = createRequire(import.meta.url)('../dist/server/libs/server/sync/src/rate-limiter.js');
const probe = new LedgerRateLimiter(redis, benchEnv.REDIS_PREFIX);
const samples = [];
let peakInFlight = 0;
const t0 = Date.now();
if (process.env.WORKER_LOG_LEVEL) console.log(`t0 ${t0}`);
const sampler = setInterval(async () => {
  const u = await probe.usage(`qbo:${realm}`);
  peakInFlight = Math.max(peakInFlight, u.inFlight);
  samples.push({ at: Date.now() - t0, minute: u.minute });
}, 500);
const { stop } = startWorkers(Number(values.workers), { SYNC_RATE_LIMITS: 'on', SYNC_PAGE_SIZE: values['page-size'], SYNC_CONCURRENCY: '4' });
const runs = await finishedRuns(db, clientIds);
const seconds = (Date.now() - t0) / 1000;
clearInterval(sampler);
stop();
stopAll();
const failed = runs.filter((r) => r.status !== 'succeeded');
if (failed.length) throw new Error(`runs failed: ${failed.map((r) => r.error).join('; ')}`);
const requests = runs.reduce((s, r) => s + Number(r.pages), 0);
const throttled = runs.reduce((s, r) => s + Number(r.throttled), 0);
// Steady state: from one minute in until the last 10 s (the tail has too little work left to fill a minute).
const steady = samples.filter((s) => s.at >= 60_000 && s.at <= seconds * 1000 - 10_000);
const avg = steady.length ? Math.round(steady.reduce((s, x) => s + x.minute, 0) / steady.length) : null;
const max = Math.max(...samples.map((s) => s.minute));
const min = steady.length ? Math.min(...steady.map((s) => s.minute)) : null;
console.log(`\nRate-limit discipline: ${values.clients} clients on one QuickBooks realm, ${values.workers} worker processes, pages of ${values['page-size']}\n`);
console.log('| measure | value |');
console.log('|---|---:|');
console.log(`| transaction pages read (requests, lists not counted) | ${requests.toLocaleString('en-US')} |`);
console.log(`| wall time | ${seconds.toFixed(0)} s |`);
console.log(`| requests in the rolling minute, steady state: average / lowest | ${avg} / ${min} of ${ALLOWED} (${avg === null ? '–' : Math.round((100 * avg) / ALLOWED)} %) |`);
console.log(`| most requests ever in a rolling minute | ${max} (allowed ${ALLOWED}) |`);
console.log(`| most calls in flight at once | ${peakInFlight} (allowed 10) |`);
console.log(`| **429 answers from the ledger** | **${throttled}** |`);
await redis.quit();
await db.end();
process.exit(0);

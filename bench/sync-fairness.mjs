#!/usr/bin/env node
// Benchmark: fairness (S2). 50 clients, each with its own sandbox QuickBooks company, start
// syncing at once: 5 large ones (queued FIRST, the worst case for a first-come queue) and 45
// small ones of different sizes. One worker process. Measured: when each client's first sync
// finishes, against its size — the smallest should finish in time proportional to its own size,
// not after the large ones. The queue is paused while the clients connect and the worker boots,
// so every run waits at the start line and the clock starts when the worker can take work.
// Usage: npm run build && node bench/sync-fairness.mjs [--large 30000] [--concurrency 4]
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { benchEnv } from './lib.mjs';
import { connectedClient, createCompany, finishedRuns, setup, startWorkers, stopAll, waitUntil } from './sync-lib.mjs';

const { values } = parseArgs({ options: { large: { type: 'string', default: '30000' }, concurrency: { type: 'string', default: '4' } }, strict: false });
const sizes = [...Array(5).fill(Number(values.large)), ...Array.from({ length: 45 }, (_, i) => 200 + i * 60)];
const { db, redis, browser } = await setup();
const queue = new Queue('sync', { connection: redis, prefix: `${benchEnv.REDIS_PREFIX}:bull` });
await queue.pause();
const clients = [];
for (const [i, size] of sizes.entries()) {
  const name = `Fair ${String(i + 1).padStart(2, '0')} (${size})`;
  await createCompany(name, size);
  clients.push({ id: await connectedClient(db, browser, name, name), size, name });
}
const { stop } = startWorkers(1, { SYNC_RATE_LIMITS: 'off', SYNC_CONCURRENCY: values.concurrency, SYNC_SLICE_MS: '2000' });
await waitUntil(async () => (await queue.getWorkers()).length > 0, 'the worker');
const t0 = Date.now();
await queue.resume();
const runs = await finishedRuns(db, clients.map((c) => c.id));
stop();
stopAll();
const byId = new Map(runs.map((r) => [r.client_id, r]));
const rows = clients.map((c) => ({ ...c, done: (byId.get(c.id).finished_at.getTime() - t0) / 1000, status: byId.get(c.id).status }));
const total = sizes.reduce((a, b) => a + b, 0);
const wall = Math.max(...rows.map((r) => r.done));
const rate = total / wall;
const smallest = rows.reduce((a, b) => (b.size < a.size ? b : a));
const largest = rows.filter((r) => r.size === Number(values.large));
const smalls = rows.filter((r) => r.size < Number(values.large));
// Shortest first is the ideal order: how closely the finishing order follows size (Spearman's rho, 1 = exactly).
const rank = (xs) => xs.map((x) => xs.filter((y) => y < x).length + (xs.filter((y) => y === x).length - 1) / 2);
const rs = rank(rows.map((r) => r.size));
const rd = rank(rows.map((r) => r.done));
const n = rows.length;
const rho = 1 - (6 * rs.reduce((a, r, i) => a + (r - rd[i]) ** 2, 0)) / (n * (n * n - 1));
console.log(`\nFairness: ${sizes.length} clients (${total.toLocaleString('en-US')} transactions), 1 worker process, concurrency ${values.concurrency}; large ones queued first\n`);
console.log('| measure | value |');
console.log('|---|---:|');
console.log(`| all done | ${wall.toFixed(1)} s (${Math.round(rate).toLocaleString('en-US')} transactions/s overall) |`);
console.log(`| smallest (${smallest.size} transactions) done after | ${smallest.done.toFixed(1)} s |`);
console.log(`| its size at the overall rate | ${(smallest.size / rate).toFixed(2)} s |`);
console.log(`| the 45 small ones (200–2,840) all done after | ${Math.max(...smalls.map((r) => r.done)).toFixed(1)} s |`);
console.log(`| the 5 large ones (${Number(values.large).toLocaleString('en-US')} each) done after | ${Math.min(...largest.map((r) => r.done)).toFixed(1)}–${Math.max(...largest.map((r) => r.done)).toFixed(1)} s |`);
console.log(`| order of finishing against size (Spearman's rho; 1 = smallest first) | ${rho.toFixed(2)} |`);
for (const size of [...new Set([200, 800, 1400, 2000, 2840, Number(values.large)])]) {
  const at = rows.filter((r) => r.size === size).map((r) => r.done);
  if (at.length) console.log(`| a client of ${size.toLocaleString('en-US')} transactions done after | ${Math.max(...at).toFixed(1)} s |`);
}
console.log(`| failed runs | ${rows.filter((r) => r.status !== 'succeeded').length} |`);
await queue.close();
await redis.quit();
await db.end();
process.exit(0);

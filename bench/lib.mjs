// Shared by the benchmarks: a fresh database with the demo data, the built API on its own port,
// sign-in, autocannon runs and the results table. The API runs from dist (npm run build first).
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { mustRun, env } from '../tools/run.mjs';

export const { values: args } = parseArgs({
  options: { connections: { type: 'string', default: '50' }, duration: { type: 'string', default: '10' } },
  // Each benchmark may take options of its own.
  strict: false,
});
const connections = Number(args.connections);
const duration = Number(args.duration);
const PORT = 3200;
export const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/ledgerport_bench';
const benchEnv = { ...env, NODE_ENV: 'development', PORT: String(PORT), DATABASE_URL, REDIS_PREFIX: 'lpbench', LOG_LEVEL: 'error' };
export const base = `http://127.0.0.1:${PORT}`;
export { benchEnv };

/** Drops and re-creates the bench database, migrated and seeded with the demo data; answers a client on it. */
export async function freshDatabase() {
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS ledgerport_bench WITH (FORCE)');
  await admin.end();
  await mustRun('node', ['dist/server/apps/api/src/cli.js', 'db:setup', '--seed'], { env: benchEnv, stdio: ['ignore', 'ignore', 'inherit'] });
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  return db;
}

/** Starts the built API on the bench database and waits until it is ready; answers a stop function (a promise of its exit). */
export async function startApi(extraEnv = {}) {
  const api = spawn('node', ['dist/server/apps/api/src/main.js'], { env: { ...benchEnv, ...extraEnv }, stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  // Resolves once the API has exited, so the next one can take the port.
  return () =>
    new Promise((resolve) => {
      if (api.exitCode !== null) return resolve();
      api.once('exit', resolve);
      api.kill('SIGTERM');
    });
}

export async function cookieFor(email) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'ledgerport-demo' }),
  });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status}`);
  return res.headers.get('set-cookie').split(';')[0];
}

export function measure(title, path, headers = {}) {
  return new Promise((resolve, reject) => {
    autocannon({ url: base + path, connections, duration, headers }, (err, r) => {
      if (err) return reject(err);
      if (r.non2xx) return reject(new Error(`${title}: ${r.non2xx} non-2xx answers`));
      resolve({ title, rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99 });
    });
  });
}

/** Prints the results as the table docs/benchmarks.md uses; the first row is the bare ceiling. */
export function printTable(results) {
  console.log(`\n${connections} connections, ${duration} s each, load generator on the same machine\n`);
  console.log('| endpoint | requests/s | p50 ms | p99 ms | vs bare |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of results) {
    console.log(`| ${r.title} | ${r.rps} | ${r.p50} | ${r.p99} | ${Math.round((100 * r.rps) / results[0].rps)} % |`);
  }
}

/** Northwind gets 2,000 clients, a fifth of them assigned to Ben, in one set-based statement each; answers the firm id. */
export async function seedBenchClients(db) {
  const { rows: [firm] } = await db.query(`SELECT id FROM firms WHERE slug = 'northwind'`);
  await db.query(
    `INSERT INTO clients (firm_id, name) SELECT $1, 'Bench Client ' || lpad(g::text, 5, '0') FROM generate_series(1, 1997) g`,
    [firm.id],
  );
  await db.query(
    `INSERT INTO client_assignments (client_id, user_id, firm_id)
     SELECT c.id, u.id, c.firm_id FROM clients c JOIN users u ON u.email = 'ben@northwind.test'
      WHERE c.firm_id = $1 AND c.name LIKE 'Bench Client %' AND right(c.name, 1) IN ('0', '5') ON CONFLICT DO NOTHING`,
    [firm.id],
  );
  return firm.id;
}

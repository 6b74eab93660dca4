#!/usr/bin/env node
// Benchmark: the sync worker's backfill (S1), end to end. A sandbox QuickBooks company with N
// transactions (default 200,000) is connected through the API like a person would, then worker
// processes read it all: transactions per second from the run's own start and finish times, the
// workers' peak RSS, the provider's 429s, and — in the same run, on the same rows — the raw
// PostgreSQL COPY rate (COPY out of ledger_transactions piped into COPY into an identical table with
// the same indexes), so the ratio is visible. Then the synced rows are copied to --others more
// clients of the firm (default 4: 1,000,000 rows in the table), and the transactions explorer is
// measured on the first client, next to a bare GET.
// Usage: npm run build && node bench/sync-backfill.mjs [--transactions 200000] [--workers 1] [--limits off|on] [--page-size N] [--others 4]
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { cookieFor, DATABASE_URL, measure, printTable } from './lib.mjs';
import { connectedClient, createCompany, finishedRuns, setup, startWorkers, stopAll } from './sync-lib.mjs';

const { values } = parseArgs({
  options: {
    transactions: { type: 'string', default: '200000' },
    workers: { type: 'string', default: '1' },
    limits: { type: 'string', default: 'off' },
    'page-size': { type: 'string' },
    concurrency: { type: 'string', default: '4' },
    others: { type: 'string', default: '4' },
  },
  strict: false,
});
const N = Number(values.transactions);
const WORKERS = Number(values.workers);
const COMPANY = 'Bench Roasters';

const { db, browser } = await setup();
await createCompany(COMPANY, N);
const clientId = await connectedClient(db, browser, COMPANY, COMPANY);
const { stats, stop } = startWorkers(WORKERS, {
  SYNC_RATE_LIMITS: values.limits,
  SYNC_SLICE_MS: '30000',
  SYNC_CONCURRENCY: values.concurrency,
  ...(values['page-size'] ? { SYNC_PAGE_SIZE: values['page-size'] } : {}),
});
const [run] = await finishedRuns(db, [clientId]);
stop();
if (run.status !== 'succeeded') throw new Error(`the backfill failed: ${run.error}`);
const { rows: [{ stored }] } = await db.query(`SELECT count(*)::int AS stored FROM ledger_transactions WHERE client_id = $1`, [clientId]);

// The explorer on the client just synced, with as many rows again for each of --others other
// clients in the table (copies of these, under their own clients and connections), next to a
// bare GET in the same run.
const COLUMNS = `firm_id, client_id, connection_id, provider, provider_type, provider_id, txn_date, amount, currency, payee_id, payee_name,
  bank_account_id, bank_account_name, account_id, account_name, class_id, class_name, memo, reference, lines, raw, provider_updated_at,
  deleted, uncategorized, missing_class`;
const { rows: [synced] } = await db.query(`SELECT id, firm_id FROM ledger_connections WHERE client_id = $1`, [clientId]);
for (let k = 1; k <= Number(values.others); k++) {
  const { rows: [other] } = await db.query(`INSERT INTO clients (firm_id, name) VALUES ($1, $2) RETURNING id`, [synced.firm_id, `${COMPANY} copy ${k}`]);
  const { rows: [conn] } = await db.query(
    `INSERT INTO ledger_connections (firm_id, client_id, provider, external_id, company_name, class_tracking, access_token, refresh_token, backfilled_at, last_synced_at)
     SELECT firm_id, $2, provider, external_id || '-copy-' || $3, company_name || ' copy', class_tracking, access_token, refresh_token, now(), now() FROM ledger_connections WHERE id = $1
     RETURNING id`,
    [synced.id, other.id, k],
  );
  await db.query(
    `INSERT INTO ledger_transactions (${COLUMNS})
     SELECT ${COLUMNS.replace('client_id', '$2::uuid').replace('connection_id', '$3::uuid')} FROM ledger_transactions WHERE connection_id = $1`,
    [synced.id, other.id, conn.id],
  );
}
await db.query(`SELECT gin_clean_pending_list('ix_ledger_transactions_search'::regclass)`);
await db.query('VACUUM ANALYZE ledger_transactions');
const { rows: [{ total }] } = await db.query(`SELECT count(*)::int AS total FROM ledger_transactions`);
const cookie = await cookieFor('owner@northwind.test');
const T = `/api/v1/clients/${clientId}/transactions`;
const { rows: [mid] } = await db.query(
  `SELECT to_char(txn_date, 'YYYY-MM-DD') AS d, id FROM ledger_transactions WHERE client_id = $1 AND NOT deleted ORDER BY txn_date DESC, id DESC OFFSET 100000 LIMIT 1`,
  [clientId],
);
const deep = Buffer.from(`${mid.d}|${mid.id}`).toString('base64url');
await measure('warm-up', `${T}?limit=50`, { cookie });
const explorer = [
  await measure('bare NestJS GET /healthz', '/healthz'),
  await measure('first page (50, newest first)', `${T}?limit=50`, { cookie }),
  await measure('page 2,001 (keyset cursor 100,000 rows in)', `${T}?limit=50&cursor=${deep}`, { cookie }),
  await measure('uncategorized only', `${T}?limit=50&flag=uncategorized`, { cookie }),
  await measure('search payee and memo ("lyft")', `${T}?limit=50&q=lyft`, { cookie }),
  await measure('search with no match ("zzqq")', `${T}?limit=50&q=zzqq`, { cookie }),
  await measure('one month, amounts under -100', `${T}?limit=50&from=2026-01-01&to=2026-01-31&maxAmount=-100`, { cookie }),
];
stopAll();
const client = { id: clientId };
const peakRss = stats.peakRssKb;

// The same rows through COPY, into an identical table with the same indexes.
await db.query('DROP TABLE IF EXISTS bench_copy');
await db.query('CREATE TABLE bench_copy (LIKE ledger_transactions INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING INDEXES INCLUDING IDENTITY)');
await db.query('CHECKPOINT');
const source = new pg.Client({ connectionString: DATABASE_URL });
await source.connect();
const started = process.hrtime.bigint();
await pipeline(
  source.query(copyTo(`COPY (SELECT ${COLUMNS} FROM ledger_transactions WHERE client_id = '${client.id}') TO STDOUT`)),
  db.query(copyFrom(`COPY bench_copy (${COLUMNS}) FROM STDIN`)),
);
const copySeconds = Number(process.hrtime.bigint() - started) / 1e9;
await source.end();
await db.query('DROP TABLE bench_copy');
await db.end();

const rate = Math.round(stored / Number(run.seconds));
const copyRate = Math.round(stored / copySeconds);
console.log(`\nBackfill of a QuickBooks company: ${N.toLocaleString('en-US')} transactions in the sandbox, ${WORKERS} worker process(es), rate limits ${values.limits}\n`);
console.log('| measure | value |');
console.log('|---|---:|');
console.log(`| transactions stored | ${stored.toLocaleString('en-US')} |`);
console.log(`| pages | ${run.pages} |`);
console.log(`| run time (started → finished) | ${Number(run.seconds).toFixed(1)} s |`);
console.log(`| **backfill throughput** | **${rate.toLocaleString('en-US')} transactions/s** |`);
console.log(`| worker peak RSS | ${Math.round(peakRss / 1024)} MB |`);
console.log(`| 429 answers from the ledger | ${run.throttled} |`);
console.log(`| raw COPY of the same rows (same indexes) | ${copyRate.toLocaleString('en-US')} rows/s |`);
console.log(`| backfill ÷ COPY | ${Math.round((100 * rate) / copyRate)} % |`);
console.log(`\nThe transactions explorer on those ${stored.toLocaleString('en-US')} transactions, ${total.toLocaleString('en-US')} in the table (${values.others} other clients):`);
printTable(explorer);
process.exit(0);

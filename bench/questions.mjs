#!/usr/bin/env node
// Benchmark: questions at a firm's scale (issue: questions). Northwind gets 500 clients, each with a
// ledger connection and 2,000 transactions (1,000,000 in all), and 40 questions per client (20,000:
// half waiting on the client, a fifth waiting on the firm, the rest resolved), asked of one portal
// person per client; Maria is at Acme and at 9 more clients. Measured at 50 connections next to a
// bare endpoint doing one indexed query (the staff session lookup):
//   - the portal's home (its session, which carries each business's open-question count),
//   - the portal's question list of one business,
//   - the console's question board across every client (admin) and filtered (a staff member),
//   - the board while a question changes ten times a second, and both lists with the cache off.
// Usage: npm run build && node bench/questions.mjs [--connections 50] [--duration 10]
import { base, cookieFor, freshDatabase, measure, printTable, startApi } from './lib.mjs';

const db = await freshDatabase();
const { rows: [firm] } = await db.query(`SELECT id FROM firms WHERE slug = 'northwind'`);
const t0 = Date.now();
await db.query(`INSERT INTO clients (firm_id, name) SELECT $1, 'Bench Client ' || lpad(g::text, 4, '0') FROM generate_series(1, 497) g`, [firm.id]);
await db.query(
  `INSERT INTO client_assignments (client_id, user_id, firm_id)
   SELECT c.id, u.id, c.firm_id FROM clients c JOIN users u ON u.email = 'ben@northwind.test'
    WHERE c.firm_id = $1 AND c.name LIKE 'Bench Client %' AND right(c.name, 1) IN ('0', '5') ON CONFLICT DO NOTHING`,
  [firm.id],
);
// One connection per client. The tokens are placeholders: nothing calls a ledger here.
await db.query(
  `INSERT INTO ledger_connections (firm_id, client_id, provider, external_id, company_name, access_token, refresh_token, backfilled_at, last_synced_at)
   SELECT c.firm_id, c.id, 'qbo', 'bench-' || c.id, c.name, 'x', 'x', now(), now() FROM clients c
    WHERE c.firm_id = $1 AND NOT EXISTS (SELECT 1 FROM ledger_connections l WHERE l.client_id = c.id AND l.status <> 'disconnected')`,
  [firm.id],
);
await db.query(
  `INSERT INTO ledger_transactions (firm_id, client_id, connection_id, provider, provider_type, provider_id, txn_date, amount, currency,
                                    payee_name, account_id, account_name, memo, raw, provider_updated_at, uncategorized)
   SELECT l.firm_id, l.client_id, l.id, 'qbo', 'Purchase', g::text, date '2026-11-01' - (g % 700), -((g % 50000) / 100.0), 'USD',
          'Payee ' || (g % 300), CASE WHEN g % 10 = 0 THEN '90' ELSE '7' END, CASE WHEN g % 10 = 0 THEN 'Uncategorized Expense' ELSE 'Meals' END,
          'Memo ' || g, '{}'::jsonb, now(), g % 10 = 0
     FROM ledger_connections l, generate_series(1, 2000) g WHERE l.firm_id = $1`,
  [firm.id],
);
// A portal person per client (Maria at Acme and nine more), then 40 questions per client.
await db.query(
  `INSERT INTO contacts (email) SELECT 'person' || lpad(g::text, 4, '0') || '@bench.test' FROM generate_series(1, 500) g ON CONFLICT DO NOTHING`,
);
await db.query(
  `INSERT INTO client_contacts (firm_id, client_id, contact_id, name, role, is_primary, status)
   SELECT c.firm_id, c.id, k.id, 'Person ' || c.name, 'owner', true, 'active'
     FROM (SELECT id, firm_id, name, row_number() OVER (ORDER BY name) AS n FROM clients WHERE firm_id = $1 AND name LIKE 'Bench Client %') c
     JOIN (SELECT id, row_number() OVER (ORDER BY email) AS n FROM contacts WHERE email LIKE '%@bench.test') k ON k.n = c.n`,
  [firm.id],
);
await db.query(
  `INSERT INTO client_contacts (firm_id, client_id, contact_id, name, role, status)
   SELECT c.firm_id, c.id, k.id, 'Maria Lopez', 'member', 'active'
     FROM clients c, contacts k WHERE c.firm_id = $1 AND k.email = 'maria@acme.test' AND c.name LIKE 'Bench Client 000%' ON CONFLICT DO NOTHING`,
  [firm.id],
);
await db.query(
  `INSERT INTO questions (firm_id, client_id, number, kind, status, text, transaction_id, txn, category_options, contact_id, assignee_user_id, created_by_user,
                          created_at, last_activity_at, answered_at, resolved_at, notified_at, message_count)
   SELECT t.firm_id, t.client_id, t.n, 'transaction',
          CASE WHEN t.n % 10 < 5 THEN 'open' WHEN t.n % 10 < 7 THEN 'answered' ELSE 'resolved' END,
          'What was this purchase for?', t.id,
          jsonb_build_object('type', 'Purchase', 'date', t.txn_date, 'amount', t.amount::text, 'currency', 'USD', 'payee', t.payee_name,
                             'account', jsonb_build_object('id', '90', 'name', 'Uncategorized Expense'), 'bankAccount', null, 'memo', t.memo, 'reference', null),
          '[{"id":"7","name":"Meals"},{"id":"8","name":"Travel"}]'::jsonb,
          coalesce(m.contact_id, p.contact_id), u.id, u.id,
          now() - make_interval(hours => t.n::int * 7), now() - make_interval(hours => t.n::int * 5),
          CASE WHEN t.n % 10 >= 5 THEN now() - make_interval(hours => t.n::int * 5) END,
          CASE WHEN t.n % 10 >= 7 THEN now() - make_interval(hours => t.n::int * 4) END, now(), t.n % 3
     FROM (SELECT x.*, row_number() OVER (PARTITION BY x.client_id ORDER BY x.id) AS n
             FROM ledger_transactions x WHERE x.firm_id = $1 AND x.uncategorized) t
     JOIN users u ON u.email = CASE WHEN t.n % 2 = 0 THEN 'ben@northwind.test' ELSE 'owner@northwind.test' END
     LEFT JOIN client_contacts p ON p.client_id = t.client_id AND p.is_primary
     LEFT JOIN (SELECT cc.client_id, cc.contact_id FROM client_contacts cc JOIN contacts k ON k.id = cc.contact_id AND k.email = 'maria@acme.test') m ON m.client_id = t.client_id
    WHERE t.n <= 40`,
  [firm.id],
);
await db.query(`UPDATE clients c SET question_seq = 40 WHERE firm_id = $1`, [firm.id]);
await db.query('VACUUM ANALYZE');
const { rows: [counts] } = await db.query(
  `SELECT (SELECT count(*) FROM clients WHERE firm_id = $1)::int AS clients, (SELECT count(*) FROM ledger_transactions)::int AS transactions,
          (SELECT count(*) FROM questions)::int AS questions,
          (SELECT count(*) FROM questions q JOIN contacts k ON k.id = q.contact_id WHERE k.email = 'maria@acme.test' AND q.status = 'open')::int AS maria_open`,
  [firm.id],
);
console.log(`Seeded in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${JSON.stringify(counts)}`);

const stop = await startApi({ QUESTION_EMAILS: 'off' });
const ownerCookie = await cookieFor('owner@northwind.test');
const benCookie = await cookieFor('ben@northwind.test');

// Maria signs in to the portal the way she would: a link by email (read from the outbox table).
await fetch(`${base}/api/v1/portal/auth/sign-in-link`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: 'maria@acme.test', firmSlug: 'northwind' }),
});
let mail;
for (let i = 0; i < 50 && !mail; i++) {
  ({ rows: [mail] } = await db.query(`SELECT text_body FROM outbound_emails WHERE to_address = 'maria@acme.test' ORDER BY created_at DESC LIMIT 1`));
  if (!mail) await new Promise((r) => setTimeout(r, 100));
}
const token = new URL(/https?:\/\/\S+/.exec(mail.text_body)[0]).searchParams.get('token');
const signIn = await fetch(`${base}/api/v1/portal/auth/sign-in-link/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
if (!signIn.ok) throw new Error(`portal sign-in failed: ${signIn.status}`);
const portalCookie = signIn.headers.get('set-cookie').split(';')[0];
const { rows: [business] } = await db.query(`SELECT id FROM clients WHERE name = 'Bench Client 0001'`);

await measure('warm-up', '/api/v1/questions', { cookie: ownerCookie });
const results = [
  await measure('bare: GET /api/v1/auth/session (one indexed lookup)', '/api/v1/auth/session', { cookie: ownerCookie }),
  await measure('portal home: GET /api/v1/portal/auth/session (10 businesses, open counts)', '/api/v1/portal/auth/session', { cookie: portalCookie }),
  await measure('portal question list of one business', `/api/v1/portal/businesses/${business.id}/questions`, { cookie: portalCookie }),
  // The console asks for pages of 25 (BOARD_PAGE_SIZE); a page of 50 is measured too, as in earlier runs.
  await measure('console board: GET /api/v1/questions (admin, 500 clients, the console\'s page of 25)', '/api/v1/questions?limit=25', { cookie: ownerCookie }),
  await measure('console board: the same, a page of 50', '/api/v1/questions?limit=50', { cookie: ownerCookie }),
  await measure('console board: waiting on us, assigned to me (staff, 100 clients)', '/api/v1/questions?status=answered&assignee=me&limit=25', { cookie: benCookie }),
];
// The same board while the firm works: a question changes every 100 ms, so the kept board goes
// stale ten times a second and is built again by the next reader.
const { rows: [busy] } = await db.query(`SELECT id FROM questions WHERE status = 'open' ORDER BY id LIMIT 1`);
const changing = setInterval(() => db.query(`UPDATE questions SET last_activity_at = now() WHERE id = $1`, [busy.id]).catch(() => {}), 100);
results.push(await measure('console board (admin) while a question changes every 100 ms', '/api/v1/questions?limit=25', { cookie: ownerCookie }));
clearInterval(changing);
await stop();

// And every list built afresh (QUESTION_CACHE_MB=0): what a reader pays on a miss.
const stopUncached = await startApi({ QUESTION_EMAILS: 'off', QUESTION_CACHE_MB: '0' });
results.push(
  await measure('portal question list, built every time', `/api/v1/portal/businesses/${business.id}/questions`, { cookie: portalCookie }),
  await measure('console board (admin), built every time', '/api/v1/questions?limit=25', { cookie: ownerCookie }),
);
await stopUncached();
await db.end();
printTable(results);
process.exit(0);

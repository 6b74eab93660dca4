#!/usr/bin/env node
// Benchmark: the connections board (GET /api/v1/connections, a page of 50) for a firm with 2,000
// clients of which 1,200 are connected (QuickBooks or Xero, some needing reconnection), next to a
// bare NestJS GET (/healthz) measured in the same run on the same server.
// Usage: npm run build && node bench/connections-board.mjs [--connections 50] [--duration 10]
import { cookieFor, freshDatabase, measure, printTable, seedBenchClients, startApi } from './lib.mjs';

const db = await freshDatabase();
const firm = { id: await seedBenchClients(db) };
// Connections for 60 % of the clients; the board never opens tokens, so placeholders stand in for sealed ones.
await db.query(
  `INSERT INTO ledger_connections (firm_id, client_id, provider, status, external_id, company_name, access_token, refresh_token,
                                   payroll_status, fixed_assets_status, dashboard_url, last_refreshed_at)
   SELECT c.firm_id, c.id, CASE WHEN n % 2 = 0 THEN 'qbo' ELSE 'xero' END,
          CASE WHEN n % 25 = 0 THEN 'needs_reconnect' ELSE 'connected' END,
          'ext-' || n, c.name || ' Inc.', 'v1.bench', 'v1.bench', 'connected', 'unknown', 'https://example.test', now()
     FROM (SELECT c.*, row_number() OVER (ORDER BY c.name) AS n FROM clients c WHERE c.firm_id = $1) c
    WHERE n % 5 < 3`,
  [firm.id],
);
await db.query('VACUUM ANALYZE');
await db.query('CHECKPOINT');
const { rows: [{ n, connected }] } = await db.query(
  `SELECT count(*)::int AS n, count(l.id)::int AS connected FROM clients c LEFT JOIN ledger_connections l ON l.client_id = c.id WHERE c.firm_id = $1`,
  [firm.id],
);
await db.end();

const stop = await startApi();
const ownerCookie = await cookieFor('owner@northwind.test');
const benCookie = await cookieFor('ben@northwind.test');
await measure('warm-up', '/api/v1/connections', { cookie: ownerCookie });
const results = [
  await measure('bare NestJS GET /healthz', '/healthz'),
  await measure(`GET /api/v1/connections (admin, ${n} clients, ${connected} connected, page of 50)`, '/api/v1/connections?limit=50', { cookie: ownerCookie }),
  await measure('GET /api/v1/connections?status=needs_reconnect&sort=status (admin)', '/api/v1/connections?status=needs_reconnect&sort=status', { cookie: ownerCookie }),
  await measure('GET /api/v1/connections?provider=xero&q=Client%201 (admin, filter + search)', '/api/v1/connections?provider=xero&q=Client%201', { cookie: ownerCookie }),
  await measure('GET /api/v1/connections (staff, ~400 assigned)', '/api/v1/connections?limit=50', { cookie: benCookie }),
];
stop();
printTable(results);

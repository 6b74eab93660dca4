#!/usr/bin/env node
// Benchmark: GET /api/v1/clients (first page of 50, with assigned staff) for a firm with 2,000
// clients, next to a bare NestJS GET (/healthz) measured in the same run on the same server.
// Usage: npm run build && node bench/clients-list.mjs [--connections 50] [--duration 10]
import { cookieFor, freshDatabase, measure, printTable, seedBenchClients, startApi } from './lib.mjs';

const db = await freshDatabase();
const firm = { id: await seedBenchClients(db) };
await db.query('VACUUM ANALYZE');
await db.query('CHECKPOINT');
const { rows: [{ n }] } = await db.query(`SELECT count(*)::int AS n FROM clients WHERE firm_id = $1`, [firm.id]);
await db.end();

const stop = await startApi();
const ownerCookie = await cookieFor('owner@northwind.test');
const benCookie = await cookieFor('ben@northwind.test');
// Warm-up, then the measured runs.
await measure('warm-up', '/api/v1/clients', { cookie: ownerCookie });
const results = [
  await measure('bare NestJS GET /healthz', '/healthz'),
  await measure(`GET /api/v1/clients (admin, ${n} clients, page of 50)`, '/api/v1/clients?limit=50', { cookie: ownerCookie }),
  await measure('GET /api/v1/clients (staff, ~400 assigned, page of 50)', '/api/v1/clients?limit=50', { cookie: benCookie }),
  await measure(`GET /api/v1/clients?q=Client%2019 (admin, search)`, '/api/v1/clients?q=Client%2019', { cookie: ownerCookie }),
];
stop();
printTable(results);

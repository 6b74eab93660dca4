#!/usr/bin/env node
// Serves the built product for the browser journeys: a fresh database (dropped and re-created),
// migrated and seeded with the demo data, the API on $PORT and a worker, with an isolated Redis prefix.
import { spawn } from 'node:child_process';
import IORedis from 'ioredis';
import pg from 'pg';
import { env, mustRun } from './run.mjs';

const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/ledgerport_e2e');
const name = url.pathname.slice(1);
const admin = new URL(url);
admin.pathname = '/postgres';
const client = new pg.Client({ connectionString: admin.toString() });
await client.connect();
await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
await client.end();

const e2eEnv = { ...env, NODE_ENV: 'development', APP_URL: `http://127.0.0.1:${process.env.PORT}`, REDIS_PREFIX: process.env.REDIS_PREFIX ?? 'lpe2e', LOG_LEVEL: 'warn' };
// The prefix is fixed (so the operator CLI run by the tests reaches the same queues): start from an
// empty keyspace, or failed sign-ins of earlier runs would add up towards the per-IP lock-out.
const redis = new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const stale = await redis.keys(`${e2eEnv.REDIS_PREFIX}:*`);
if (stale.length) await redis.del(...stale);
await redis.quit();
await mustRun('node', ['dist/server/apps/api/src/cli.js', 'db:setup', '--seed'], { env: e2eEnv, stdio: ['ignore', 'ignore', 'inherit'] });
const children = ['dist/server/apps/api/src/main.js', 'dist/server/apps/worker/src/main.js'].map((file) =>
  spawn('node', [file], { stdio: 'inherit', env: e2eEnv }),
);
const stop = () => {
  for (const c of children) c.kill('SIGTERM');
  setTimeout(() => process.exit(0), 5000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
for (const c of children) c.on('exit', () => stop());

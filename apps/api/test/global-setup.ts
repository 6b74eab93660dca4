// Jest loads globalSetup outside the test module registry, so path aliases do not resolve here.
 
import { ensureDatabase, runMigrations } from '../../../libs/server/db/src/data-source';

/** One fresh database per test run, migrated once; every test file gets its own firms in it. */
export default async function globalSetup(): Promise<void> {
  const base = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const url = new URL(base);
  url.pathname = `/ledgerport_test_${process.pid}_${Date.now()}`;
  process.env.DATABASE_URL = url.toString();
  process.env.REDIS_PREFIX = `lptest:${process.pid}:${Date.now()}`;
  process.env.NODE_ENV = 'test';
  // Tests that sync drive it themselves; a worker started by a test never syncs other tests' connections on a schedule.
  process.env.SYNC_SCHEDULE = 'off';
  // Likewise question emails: a test calls the tick itself, with its own clock.
  process.env.QUESTION_EMAILS = 'off';
  await ensureDatabase(process.env.DATABASE_URL);
  await runMigrations(process.env.DATABASE_URL);
}

#!/usr/bin/env node
// Serves the built product for the browser journeys: a fresh database (dropped and re-created),
// migrated and seeded with the demo data, the API on $PORT and a worker, with an isolated Redis prefix.
// Beside them, on 127.0.0.1:
//   - a mail catcher (tools/mail-catcher.mjs): SMTP on $MAIL_SMTP_PORT (default PORT+25), read back
//     over HTTP on $MAIL_HTTP_PORT (default PORT+26). Every process gets SMTP_URL, so mail really goes
//     API/CLI → Redis → worker → SMTP (and the dev outbox endpoint answers 404 OUTBOX_DISABLED);
//   - an OpenID provider standing in for Google (tools/oidc-test-provider.mjs) on $OIDC_PORT
//     (default PORT+27), client `ledgerport-e2e`, redirect URI $APP_URL/api/v1/auth/google/callback;
//   - the ledger sandbox (a local QuickBooks Online + Xero, apps/ledger-sandbox) on $SANDBOX_PORT
//     (default PORT+28), with its control API at /control.
// e2e/playwright.config.ts derives the same ports (and passes them here), so the tests find both.
// The worker sends question emails on a short clock (QUESTION_DIGEST_QUIET_SECONDS=20,
// QUESTION_TICK_SECONDS=2), so journeys can wait for a digest in the mail catcher.
import { spawn } from 'node:child_process';
import IORedis from 'ioredis';
import pg from 'pg';
import { startMailCatcher } from './mail-catcher.mjs';
import { startOidcProvider } from './oidc-test-provider.mjs';
import { env, mustRun } from './run.mjs';

const port = Number(process.env.PORT ?? 3100);
const smtpPort = Number(process.env.MAIL_SMTP_PORT ?? port + 25);
const mailHttpPort = Number(process.env.MAIL_HTTP_PORT ?? port + 26);
const oidcPort = Number(process.env.OIDC_PORT ?? port + 27);
const sandboxPort = Number(process.env.SANDBOX_PORT ?? port + 28);
const appUrl = `http://127.0.0.1:${port}`;
const GOOGLE_CLIENT_ID = 'ledgerport-e2e';
const GOOGLE_CLIENT_SECRET = 'ledgerport-e2e-google-client-secret';

const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/ledgerport_e2e');
const name = url.pathname.slice(1);
const admin = new URL(url);
admin.pathname = '/postgres';
const client = new pg.Client({ connectionString: admin.toString() });
await client.connect();
await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
await client.end();

const mail = await startMailCatcher({ smtpPort, httpPort: mailHttpPort });
const oidc = await startOidcProvider({
  port: oidcPort,
  clientId: GOOGLE_CLIENT_ID,
  clientSecret: GOOGLE_CLIENT_SECRET,
  redirectUris: [`${appUrl}/api/v1/auth/google/callback`],
});

const e2eEnv = {
  ...env,
  NODE_ENV: 'development',
  PORT: String(port),
  APP_URL: appUrl,
  // Default per port, so runs on different ports do not take each other's jobs.
  REDIS_PREFIX: process.env.REDIS_PREFIX ?? `lpe2e-${port}`,
  LOG_LEVEL: 'warn',
  SMTP_URL: mail.smtpUrl,
  GOOGLE_ISSUER_URL: oidc.issuer,
  GOOGLE_CLIENT_ID,
  GOOGLE_CLIENT_SECRET,
  // Lets the journeys move the clock that judges link and session expiry (PUT /api/v1/testing/clock).
  TEST_CLOCK: 'true',
  // QuickBooks and Xero are this run's own ledger sandbox.
  LEDGER_SANDBOX_URL: `http://127.0.0.1:${sandboxPort}`,
  // Question emails on (whatever the shell says), and fast enough to wait for: a digest goes 20 s
  // after the last activity (not 2 minutes), looked for every 2 s (not every minute). Not shorter:
  // questions a journey asks in steps (a bulk ask, then one more from the drawer) should still go out
  // as one digest, as they would for a person, and journeys count the emails they cause.
  QUESTION_EMAILS: 'on',
  QUESTION_DIGEST_QUIET_SECONDS: process.env.QUESTION_DIGEST_QUIET_SECONDS ?? '20',
  QUESTION_TICK_SECONDS: process.env.QUESTION_TICK_SECONDS ?? '2',
};
// The prefix is fixed (so the operator CLI run by the tests reaches the same queues): start from an
// empty keyspace, or failed sign-ins of earlier runs would add up towards the per-IP lock-out.
const redis = new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const stale = await redis.keys(`${e2eEnv.REDIS_PREFIX}:*`);
if (stale.length) await redis.del(...stale);
await redis.quit();

let stopping = false;
const children = [];
const stop = (code = 0) => {
  if (stopping) return;
  stopping = true;
  for (const c of children) c.kill('SIGTERM');
  const exited = children.map((c) =>
    c.exitCode !== null || c.signalCode !== null ? null : new Promise((r) => c.once('exit', r)),
  );
  Promise.all(exited)
    .then(() => Promise.all([mail.close(), oidc.close()]))
    .finally(() => process.exit(code));
  setTimeout(() => process.exit(code), 5000).unref();
};
process.on('SIGTERM', () => stop());
process.on('SIGINT', () => stop());

await mustRun('node', ['dist/server/apps/api/src/cli.js', 'db:setup', '--seed'], {
  env: e2eEnv,
  stdio: ['ignore', 'ignore', 'inherit'],
});
for (const file of ['dist/server/apps/ledger-sandbox/src/main.js', 'dist/server/apps/api/src/main.js', 'dist/server/apps/worker/src/main.js']) {
  const child = spawn('node', [file], { stdio: 'inherit', env: { ...e2eEnv, SANDBOX_PORT: String(sandboxPort) } });
  child.on('exit', () => stop());
  children.push(child);
}

#!/usr/bin/env node
// `npm start`: build what is missing, create and migrate the database, seed demo data into an
// empty database, then run the API (which also serves both web apps), the worker and the ledger
// sandbox (a local QuickBooks Online + Xero, on SANDBOX_PORT, default 3900) together.
// Ctrl-C stops all three cleanly.
import { spawn } from 'node:child_process';
import { connectDemoLedgers, demoSynced } from './demo-connect.mjs';
import { buildAll, env, mustRun, run } from './run.mjs';

await buildAll();
await mustRun('node', ['dist/server/apps/api/src/cli.js', 'db:setup', '--seed']);

const port = process.env.PORT ?? 3000;
// The sandbox tells the product about QuickBooks changes at once, as QuickBooks would (Xero only
// sends its intent-to-receive handshake; its changes arrive with the scheduled syncs).
const sandboxEnv = {
  ...env,
  QBO_WEBHOOK_URL: process.env.QBO_WEBHOOK_URL ?? `http://127.0.0.1:${port}/api/v1/webhooks/quickbooks`,
  XERO_WEBHOOK_URL: process.env.XERO_WEBHOOK_URL ?? `http://127.0.0.1:${port}/api/v1/webhooks/xero`,
};
const children = [
  ['sandbox', 'dist/server/apps/ledger-sandbox/src/main.js', sandboxEnv],
  ['api', 'dist/server/apps/api/src/main.js', env],
  ['worker', 'dist/server/apps/worker/src/main.js', env],
].map(([name, file, childEnv]) => {
  const child = spawn('node', [file], { stdio: 'inherit', env: childEnv });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping everything.`);
      stop(code || 1);
    }
  });
  return child;
});

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  let alive = children.filter((c) => c.exitCode === null && c.signalCode === null);
  if (!alive.length) process.exit(code);
  for (const c of alive) {
    c.once('exit', () => {
      alive = alive.filter((x) => x !== c);
      if (!alive.length) process.exit(code);
    });
    c.kill('SIGTERM');
  }
  setTimeout(() => process.exit(code), 15_000).unref();
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
console.log(`\nLedgerport is starting on http://localhost:${port}  (firm console /, client portal /portal/northwind, API docs /api/docs)`);
console.log(`Ledger sandbox (QuickBooks Online + Xero) on http://127.0.0.1:${process.env.SANDBOX_PORT ?? 3900}  (control API /control)`);

// Once everything answers, keep the demo's ledgers connected (Acme: QuickBooks, Birch: Xero).
const appUrl = `http://localhost:${port}`;
const sandboxUrl = process.env.LEDGER_SANDBOX_URL ?? `http://127.0.0.1:${process.env.SANDBOX_PORT ?? 3900}`;
const ready = async (url) => {
  for (let i = 0; i < 120 && !stopping; i++) {
    if (await fetch(url).then((r) => r.ok, () => false)) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
};
if (process.env.NODE_ENV !== 'production' && (await ready(`${appUrl}/readyz`)) && (await ready(`${sandboxUrl}/healthz`))) {
  await connectDemoLedgers({ appUrl, sandboxUrl }).catch((err) => console.error(`Demo ledgers not connected: ${err.message}`));
  // Once Acme and Birch have synced, the demo's questions (only the first time).
  if (await demoSynced({ appUrl }).catch(() => false)) {
    // A failure here is printed and leaves the product running.
    await run('node', ['dist/server/apps/api/src/cli.js', 'demo:questions']);
  }
}

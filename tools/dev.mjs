#!/usr/bin/env node
// `npm run dev`: the server recompiles on change (tsc --watch + tsc-alias --watch) and restarts
// (node --watch); both SPAs run on Vite with hot reload, proxying /api to the API on :3000. The
// ledger sandbox (local QuickBooks Online + Xero) runs beside them on :3900 and restarts too.
import { spawn } from 'node:child_process';
import { env, mustRun } from './run.mjs';

await mustRun('npx', ['nx', 'run', 'api:build', '--outputStyle=static']);
await mustRun('node', ['dist/server/apps/api/src/cli.js', 'db:setup', '--seed']);

const procs = [
  ['tsc', 'npx', ['tsc', '-p', 'tsconfig.server.json', '--watch', '--preserveWatchOutput']],
  ['alias', 'npx', ['tsc-alias', '-p', 'tsconfig.server.json', '--watch']],
  ['api', 'node', ['--watch', 'dist/server/apps/api/src/main.js']],
  ['worker', 'node', ['--watch', 'dist/server/apps/worker/src/main.js']],
  ['sandbox', 'node', ['--watch', 'dist/server/apps/ledger-sandbox/src/main.js']],
  ['console', 'npx', ['vite', '--config', 'apps/firm-console/vite.config.mts']],
  ['portal', 'npx', ['vite', '--config', 'apps/client-portal/vite.config.mts']],
].map(([name, cmd, args]) => {
  const child = spawn(cmd, args, { stdio: 'inherit', env });
  child.on('exit', (code) => console.log(`[${name}] exited (${code})`));
  return child;
});

const stop = () => {
  for (const p of procs) p.kill('SIGTERM');
  setTimeout(() => process.exit(0), 3000).unref();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
console.log(
  `\nConsole: http://localhost:4200  Portal: http://localhost:4300/portal/northwind  API: http://localhost:3000  Ledger sandbox: http://127.0.0.1:${process.env.SANDBOX_PORT ?? 3900}`,
);

// Small helpers shared by the scripts in tools/: run a command, build what is missing.
import { spawn } from 'node:child_process';

export const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', SCARF_ANALYTICS: 'false' };

/** Runs a command with inherited stdio; resolves with its exit code. */
export function run(command, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env: { ...env, ...(opts.env ?? {}) }, ...opts });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

export async function mustRun(command, args, opts) {
  const code = await run(command, args, opts);
  if (code !== 0) {
    console.error(`\n✖ ${command} ${args.join(' ')} failed (exit ${code})`);
    process.exit(code);
  }
}

/** Builds the server and both web apps; Nx's cache makes this a no-op when nothing changed. */
export function buildAll() {
  return mustRun('npx', ['nx', 'run-many', '-t', 'build', '--projects=api,worker,firm-console,client-portal', '--outputStyle=static']);
}

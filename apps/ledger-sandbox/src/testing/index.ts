import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { loadSandboxConfig } from '../config';
import type { SandboxContext } from '../context';
import { buildSandbox } from '../server';

/**
 * For tests: the sandbox in-process on a free port, and a driver that goes through its consent
 * pages the way a person's browser would (open the page, pick the company, submit the form).
 */
export interface RunningSandbox {
  app: FastifyInstance;
  ctx: SandboxContext;
  url: string;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function startSandbox(env: Record<string, string> = {}): Promise<RunningSandbox> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = loadSandboxConfig({ SANDBOX_PORT: String(port), SANDBOX_URL: url, SANDBOX_TODAY: '2026-11-23', LOG_LEVEL: 'silent', ...env });
  const { app, ctx } = await buildSandbox(config, { logger: false });
  await app.listen({ port, host: '127.0.0.1' });
  return { app, ctx, url, close: () => app.close() };
}

export { consentAsBrowser } from '../control/auto-consent';

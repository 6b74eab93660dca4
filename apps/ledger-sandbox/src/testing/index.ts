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
  // Its 24 months end today (UTC), as the product's backfill window does: a fixed day here left the
  // window's first day outside the product's once that day had passed. Tests that need fixed dates
  // pass SANDBOX_TODAY.
  const config = loadSandboxConfig({ SANDBOX_PORT: String(port), SANDBOX_URL: url, LOG_LEVEL: 'silent', ...env });
  const { app, ctx } = await buildSandbox(config, { logger: false });
  await app.listen({ port, host: '127.0.0.1' });
  return { app, ctx, url, close: () => app.close() };
}

export { consentAsBrowser } from '../control/auto-consent';

/** A transaction as the control API lists it (the sandbox's neutral model, not a provider's shape). */
export interface ControlTxn {
  id: string;
  kind: string;
  date: string;
  totalMinor: number;
  deleted: boolean;
  /** Xero bank transactions reconciled through the control API. */
  reconciled?: boolean;
  syncToken: number;
  updatedAt: string;
  payeeId: string | null;
  bankAccountId: string | null;
  lines: {
    id: string;
    accountId: string;
    amountMinor: number;
    classId: string | null;
    classId2?: string | null;
    description: string;
    posting?: 'debit' | 'credit';
  }[];
}

/**
 * The control API for tests, at the URL `url()` gives when called (a sandbox started in
 * `beforeAll`). Every call throws on an answer that is not 2xx, with its body.
 */
export function controlClient(url: () => string) {
  const call = async <T = unknown>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url()}/control${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} /control${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    call,
    get: <T = unknown>(path: string) => call<T>('GET', path),
    send: <T = unknown>(path: string, body: unknown, method: 'POST' | 'PATCH' | 'DELETE' = 'POST') => call<T>(method, path, body),
    /** Every transaction of a company, deleted ones too, read 1,000 at a time. */
    async transactions(companyId: string): Promise<ControlTxn[]> {
      const out: ControlTxn[] = [];
      for (let offset = 0; ; offset += 1000) {
        const page = await call<{ total: number; transactions: ControlTxn[] }>('GET', `/companies/${companyId}/transactions?offset=${offset}&limit=1000`);
        out.push(...page.transactions);
        if (offset + 1000 >= page.total) return out;
      }
    },
  };
}

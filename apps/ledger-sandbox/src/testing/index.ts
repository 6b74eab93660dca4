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

const unescapeHtml = (s: string) =>
  s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/**
 * Opens a consent page (QuickBooks' company picker or Xero's organisation picker), chooses the
 * named company or organisations and presses Connect / Allow (or Cancel). Answers where the
 * sandbox sends the browser back: the app's redirect URI with the code (or the error).
 */
export async function consentAsBrowser(consentUrl: string, pick: string[], action: 'allow' | 'cancel' = 'allow'): Promise<string> {
  const page = await fetch(consentUrl);
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}: ${await page.text()}`);
  const html = await page.text();
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(m[1], unescapeHtml(m[2]));
  const isQbo = html.includes('name="realmId"');
  for (const name of pick) {
    if (isQbo) {
      const radio = [...html.matchAll(/<input type="radio" id="[^"]+" name="realmId" value="([^"]+)"[^>]*>\s*<span><span class="company">([^<]+)<\/span>/g)].find(
        (r) => unescapeHtml(r[2]) === name,
      );
      if (!radio) throw new Error(`no company ${name} on the consent page`);
      form.set('realmId', radio[1]);
    } else {
      const box = [...html.matchAll(/<input type="checkbox" id="([^"]+)" name="(tenant\.[^"]+)" value="on"[^>]*>\s*<label for="([^"]+)">([^<]+)<\/label>/g)].find(
        (b) => b[1] === b[3] && unescapeHtml(b[4]) === name,
      );
      if (!box) throw new Error(`no organisation ${name} on the consent page`);
      form.set(box[2], 'on');
    }
  }
  form.set('action', isQbo ? (action === 'allow' ? 'connect' : 'cancel') : action);
  const formAction = /<form method="post" action="([^"]+)">/.exec(html)?.[1];
  if (!formAction) throw new Error('no form on the consent page');
  const res = await fetch(new URL(unescapeHtml(formAction), consentUrl), { method: 'POST', body: form, redirect: 'manual' });
  if (res.status !== 302) throw new Error(`consent form answered ${res.status}: ${await res.text()}`);
  return res.headers.get('location') as string;
}

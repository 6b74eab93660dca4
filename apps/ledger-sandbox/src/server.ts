import Fastify, { type FastifyInstance } from 'fastify';
import type { SandboxConfig } from './config';
import { SandboxContext } from './context';
import { registerControl } from './control/control.routes';
import { registerWebhooks } from './webhooks/webhooks.routes';
import { registerQbo } from './qbo/qbo.routes';
import { registerXero } from './xero/xero.routes';

/**
 * The ledger sandbox: a local QuickBooks Online and Xero that the product reaches through the real
 * intuit-oauth and xero-node SDKs, with a control API for tests and benchmarks.
 */
export async function buildSandbox(config: SandboxConfig, opts: { clock?: () => number; logger?: boolean } = {}): Promise<{ app: FastifyInstance; ctx: SandboxContext }> {
  const app = Fastify({
    logger: opts.logger === false ? false : { level: config.LOG_LEVEL },
    // Realistic request bodies (QuickBooks posts JSON; Xero too) and the OAuth forms.
    bodyLimit: 5 * 1024 * 1024,
  });
  const ctx = new SandboxContext(config, opts.clock);
  ctx.log = app.log;
  // OAuth token and revoke endpoints take form posts.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  // Every company's changes become webhooks: the companies there now, and those added later.
  const webhooks = await registerWebhooks(app, ctx);
  for (const ledger of ctx.companies.list()) webhooks.watchCompany(ledger);
  ctx.companies.onAdd = (ledger) => webhooks.watchCompany(ledger);
  await registerQbo(app, ctx);
  await registerXero(app, ctx);
  await registerControl(app, ctx);
  return { app, ctx };
}

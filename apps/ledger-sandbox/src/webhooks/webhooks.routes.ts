import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context';
import { ControlError, controlErrors } from '../control/http';
import { Webhooks } from './webhooks';

/**
 * Webhook delivery plus its control routes (for tests; no authentication):
 *   GET    /control/webhooks              configuration, pending changes, the last Xero handshake, delivery attempts
 *   DELETE /control/webhooks              forgets the recorded attempts
 *   POST   /control/webhooks/flush        sends pending QuickBooks/Xero notifications now; answers when delivered
 *   POST   /control/webhooks/xero/intent  runs Xero's intent-to-receive handshake; answers with its outcome
 * The caller subscribes companies with `webhooks.watchCompany(ledger)` (see server.ts). The Xero
 * handshake also runs once when the sandbox starts listening, if XERO_WEBHOOK_URL is set.
 */
export async function registerWebhooks(app: FastifyInstance, ctx: SandboxContext): Promise<Webhooks> {
  const webhooks = new Webhooks(ctx);
  const { config } = ctx;

  app.addHook('onListen', async () => {
    if (config.XERO_WEBHOOK_URL)
      void webhooks
        .xeroIntent()
        .catch((err: Error) => ctx.log.error({ err }, 'Xero intent to receive failed'));
  });
  app.addHook('onClose', async () => webhooks.close());

  await app.register(
    async (scope) => {
      controlErrors(scope);
      scope.get('/', async () => ({
        qbo: {
          url: config.QBO_WEBHOOK_URL ?? null,
          format: config.QBO_WEBHOOK_FORMAT,
          batchMs: config.SANDBOX_WEBHOOK_BATCH_MS,
        },
        xero: { url: config.XERO_WEBHOOK_URL ?? null, intent: webhooks.lastXeroIntent },
        retries: config.SANDBOX_WEBHOOK_RETRIES,
        pending: webhooks.pendingCount(),
        deliveries: webhooks.attempts(),
      }));
      scope.delete('/', async () => {
        webhooks.clearAttempts();
        return { cleared: true };
      });
      scope.post('/flush', async () => {
        const pending = webhooks.pendingCount();
        await webhooks.flush();
        return { flushed: pending };
      });
      scope.post('/xero/intent', async () => {
        const result = await webhooks.xeroIntent();
        if (!result)
          throw new ControlError(
            409,
            'not_configured',
            'XERO_WEBHOOK_URL is not set: there is nowhere to send the intent-to-receive requests.',
          );
        return result;
      });
    },
    { prefix: '/control/webhooks' },
  );
  return webhooks;
}

import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { getQueueToken } from '@nestjs/bullmq';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { safeEqual } from '@ledgerport/server/access';
import type { AppConfig } from '@ledgerport/server/config';
import { QueueName } from '@ledgerport/server/jobs';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * The queue dashboard (Bull Board) for the platform operator: every firm's jobs are in these
 * queues, so it is not a firm admin's page. The browser asks for the operator's credentials (HTTP
 * Basic, any user name, OPERATOR_TOKEN as the password); without OPERATOR_TOKEN it does not exist.
 */
export async function mountQueueDashboard(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const token = config.OPERATOR_TOKEN;
  if (!token) return;
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: Object.values(QueueName).map((name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name)))),
    serverAdapter,
  });
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.register(
    async (scope) => {
      scope.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
        const header = req.headers.authorization ?? '';
        const password = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8').split(':').slice(1).join(':') : '';
        if (!password || !safeEqual(password, token)) {
          await reply
            .code(401)
            .header('www-authenticate', 'Basic realm="Ledgerport queues", charset="UTF-8"')
            .header('cache-control', 'no-store')
            .send({ statusCode: 401, code: 'OPERATOR_UNAUTHORIZED', message: 'The queue dashboard is for the platform operator: sign in with OPERATOR_TOKEN as the password.' });
        }
      });
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: QUEUE_DASHBOARD_PATH },
  );
}

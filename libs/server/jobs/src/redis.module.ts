import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import IORedis, { type Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import { QueueName } from './queues';

export const REDIS = Symbol('REDIS');

/** One Redis connection for rate limiting and readiness checks, plus the BullMQ queues. */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        connection: { url: config.REDIS_URL, maxRetriesPerRequest: null },
        prefix: `${config.REDIS_PREFIX}:bull`,
        defaultJobOptions: {
          attempts: 5,
          backoff: { type: 'exponential', delay: 2000 },
          removeOnComplete: 1000,
          removeOnFail: 5000,
        },
      }),
    }),
    BullModule.registerQueue({ name: QueueName.MAIL }, { name: QueueName.SYNC }, { name: QueueName.QUESTIONS }),
  ],
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Redis =>
        new IORedis(config.REDIS_URL, { maxRetriesPerRequest: 2 }),
    },
  ],
  exports: [REDIS, BullModule],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}

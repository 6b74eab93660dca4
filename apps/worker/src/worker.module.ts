import { Module, type OnModuleInit } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, ConfigModule, type AppConfig } from '@ledgerport/server/config';
import { DbModule } from '@ledgerport/server/db';
import { JOB_QUEUES, RedisModule } from '@ledgerport/server/jobs';
import { MailProcessor, MailSenderModule } from '@ledgerport/server/notifications';
import { QuestionsProcessor, QuestionsWorkerModule } from '@ledgerport/server/questions';
import { SyncProcessor, SyncWorkerModule } from '@ledgerport/server/sync-worker';

/** Every processor the worker runs; each lists the job names it handles. */
const PROCESSORS = [MailProcessor, SyncProcessor, QuestionsProcessor];

@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        pinoHttp: { level: config.NODE_ENV === 'test' ? 'silent' : config.LOG_LEVEL, name: 'worker' },
      }),
    }),
    DbModule,
    RedisModule,
    MailSenderModule,
    SyncWorkerModule,
    QuestionsWorkerModule,
  ],
})
export class WorkerModule implements OnModuleInit {
  onModuleInit(): void {
    assertEveryJobHasAHandler();
  }
}

/** Boot fails when a job name has no processor, rather than jobs piling up unprocessed. */
export function assertEveryJobHasAHandler(processors: { handles: readonly string[] }[] = PROCESSORS): void {
  const handled = new Set(processors.flatMap((p) => p.handles));
  const missing = Object.keys(JOB_QUEUES).filter((name) => !handled.has(name));
  if (missing.length) throw new Error(`No worker handles these jobs: ${missing.join(', ')}`);
}

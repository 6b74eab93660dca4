import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigError, loadConfig } from '@ledgerport/server/config';
import { WorkerModule } from './worker.module';

/**
 * The worker: a NestJS application context without HTTP, consuming the BullMQ queues.
 * On SIGTERM/SIGINT the BullMQ workers finish their current jobs before the process exits.
 */
async function main(): Promise<void> {
  loadConfig();
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  app.get(Logger).log('Ledgerport worker started');
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});

import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigError, loadConfig } from '@ledgerport/server/config';
import { SyncProcessor } from '@ledgerport/server/sync-worker';
import { WorkerModule } from './worker.module';

/**
 * The worker: a NestJS application context without HTTP, consuming the BullMQ queues.
 * On SIGTERM/SIGINT the BullMQ workers finish their current jobs before the process exits.
 */
async function main(): Promise<void> {
  loadConfig();
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: finishing the jobs in progress, then stopping`);
    // Syncs stop after the page they are writing and go back to the queue for the next worker.
    app.get(SyncProcessor).beginShutdown();
    await app.close(); // closes the BullMQ workers, which wait for their active jobs
    logger.log('Ledgerport worker stopped');
    process.exit(0);
  };
  process.once('SIGTERM', (s) => void stop(s));
  process.once('SIGINT', (s) => void stop(s));
  logger.log('Ledgerport worker started');
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});

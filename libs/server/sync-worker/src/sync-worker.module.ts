import { Module } from '@nestjs/common';
import { LedgerAccessModule } from '@ledgerport/server/connections';
import { SyncRequestsModule } from '@ledgerport/server/sync';
import { SyncEngine } from './sync-engine';
import { SyncProcessor } from './sync.processor';
import { SyncScheduler } from './sync-scheduler';

/** The worker's side of syncing: the engine, the queue's consumer and the schedule. */
@Module({
  imports: [LedgerAccessModule, SyncRequestsModule],
  providers: [SyncEngine, SyncScheduler, SyncProcessor],
  exports: [SyncEngine, SyncScheduler, SyncProcessor],
})
export class SyncWorkerModule {}

import { Module } from '@nestjs/common';
import { ClientsModule } from '@ledgerport/server/clients';
import { SyncController, WebhooksController } from './sync.controller';
import { LedgerLimits } from './ledger-limits';
import { SyncRequests } from './sync-requests.service';
import { SyncService } from './sync.service';
import { TransactionsService } from './transactions.service';
import { WebhooksService } from './webhooks.service';

/** Asking for syncs: what connecting a ledger and the worker need, without the API's controllers. */
@Module({
  providers: [SyncRequests, LedgerLimits],
  exports: [SyncRequests, LedgerLimits],
})
export class SyncRequestsModule {}

/** Syncing as the API sees it: asking for syncs, their status, the transactions explorer, webhooks. */
@Module({
  imports: [ClientsModule, SyncRequestsModule],
  controllers: [SyncController, WebhooksController],
  providers: [SyncService, TransactionsService, WebhooksService],
})
export class SyncModule {}

import { Module } from '@nestjs/common';
import { ClientsModule } from '@ledgerport/server/clients';
import { NotificationsModule } from '@ledgerport/server/notifications';
import { PortalModule } from '@ledgerport/server/portal';
import { SyncRequestsModule } from '@ledgerport/server/sync';
import { ConnectionsController } from './connections.controller';
import { ConnectionsService } from './connections.service';
import { LedgerAccessModule } from './ledger-access.module';
import { PortalConnectionController } from './portal-connection.controller';

/** L1–L5: ledger connections (QuickBooks Online, Xero) of clients. */
@Module({
  imports: [ClientsModule, NotificationsModule, PortalModule, SyncRequestsModule, LedgerAccessModule],
  controllers: [ConnectionsController, PortalConnectionController],
  providers: [ConnectionsService],
  exports: [LedgerAccessModule],
})
export class ConnectionsModule {}

import { Module } from '@nestjs/common';
import { ClientsModule } from '@ledgerport/server/clients';
import { NotificationsModule } from '@ledgerport/server/notifications';
import { PortalModule } from '@ledgerport/server/portal';
import { ConnectionTokens } from './connection-tokens.service';
import { ConnectionsController } from './connections.controller';
import { ConnectionsService } from './connections.service';
import { LedgerRegistry } from './ledger-registry';
import { PortalConnectionController } from './portal-connection.controller';

/** L1–L5: ledger connections (QuickBooks Online, Xero) of clients. */
@Module({
  imports: [ClientsModule, NotificationsModule, PortalModule],
  controllers: [ConnectionsController, PortalConnectionController],
  providers: [LedgerRegistry, ConnectionTokens, ConnectionsService],
  exports: [ConnectionTokens, LedgerRegistry],
})
export class ConnectionsModule {}

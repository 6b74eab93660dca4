import { Module } from '@nestjs/common';
import { ActivityService } from '@ledgerport/server/audit';
import { NotificationsModule } from '@ledgerport/server/notifications';
import { ConnectionTokens } from './connection-tokens.service';
import { LedgerRegistry } from './ledger-registry';

/**
 * Talking to a connected ledger with a valid token: all the worker needs of connections, without
 * the API's controllers and guards. (ActivityService is global in the API; the worker has no
 * AuditModule, so it is provided here too: it holds no state.)
 */
@Module({
  imports: [NotificationsModule],
  providers: [LedgerRegistry, ConnectionTokens, ActivityService],
  exports: [LedgerRegistry, ConnectionTokens],
})
export class LedgerAccessModule {}

import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AccessModule } from '@ledgerport/server/access';
import { AuditModule } from '@ledgerport/server/audit';
import { AuthModule } from '@ledgerport/server/auth';
import { ClientsModule } from '@ledgerport/server/clients';
import { APP_CONFIG, ConfigModule, type AppConfig } from '@ledgerport/server/config';
import { DbModule } from '@ledgerport/server/db';
import { FirmsModule } from '@ledgerport/server/firms';
import { RedisModule } from '@ledgerport/server/jobs';
import { NotificationsModule } from '@ledgerport/server/notifications';
import { PortalModule } from '@ledgerport/server/portal';
import { QuestionsModule } from '@ledgerport/server/questions';
import { ConnectionsModule } from '@ledgerport/server/connections';
import { SyncModule } from '@ledgerport/server/sync';
import { TeamModule } from '@ledgerport/server/team';
import { HealthController } from './health.controller';
import { loggerOptions } from './logger';

@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({ inject: [APP_CONFIG], useFactory: (config: AppConfig) => loggerOptions(config) }),
    DbModule,
    RedisModule,
    AccessModule,
    AuditModule,
    NotificationsModule,
    AuthModule,
    FirmsModule,
    ClientsModule,
    TeamModule,
    PortalModule,
    ConnectionsModule,
    SyncModule,
    QuestionsModule,
  ],
  controllers: [HealthController],
})
export class AppModule {}

import { Module } from '@nestjs/common';
import { AuthModule } from '@ledgerport/server/auth';
import { NotificationsModule } from '@ledgerport/server/notifications';
import { FirmsController, OperatorController } from './firms.controller';
import { FirmsRepository } from './firms.repository';
import { FirmsService } from './firms.service';
import { OperatorGuard } from './operator.guard';

@Module({
  imports: [AuthModule, NotificationsModule],
  controllers: [FirmsController, OperatorController],
  providers: [FirmsService, FirmsRepository, OperatorGuard],
  exports: [FirmsService],
})
export class FirmsModule {}

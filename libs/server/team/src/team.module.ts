import { Module } from '@nestjs/common';
import { AuthModule } from '@ledgerport/server/auth';
import { NotificationsModule } from '@ledgerport/server/notifications';
import { TeamController } from './team.controller';
import { TeamRepository } from './team.repository';
import { TeamService } from './team.service';

@Module({
  imports: [AuthModule, NotificationsModule],
  controllers: [TeamController],
  providers: [TeamService, TeamRepository],
})
export class TeamModule {}

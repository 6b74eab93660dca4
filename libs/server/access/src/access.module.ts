import { Global, Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { BackgroundWork } from './background-work';
import { Clock } from './clock';
import { SessionStore } from './session.store';
import { SessionStrategy } from './session.strategy';
import { StaffGuard } from './staff.guard';

@Global()
@Module({
  imports: [PassportModule.register({ session: false })],
  providers: [SessionStore, SessionStrategy, StaffGuard, Clock, BackgroundWork],
  exports: [SessionStore, StaffGuard, Clock, BackgroundWork],
})
export class AccessModule {}

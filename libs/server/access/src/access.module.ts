import { Global, Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { Clock } from './clock';
import { SessionStore } from './session.store';
import { SessionStrategy } from './session.strategy';
import { StaffGuard } from './staff.guard';

@Global()
@Module({
  imports: [PassportModule.register({ session: false })],
  providers: [SessionStore, SessionStrategy, StaffGuard, Clock],
  exports: [SessionStore, StaffGuard, Clock],
})
export class AccessModule {}

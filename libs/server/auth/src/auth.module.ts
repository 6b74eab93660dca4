import { Module } from '@nestjs/common';
import { NotificationsModule } from '@ledgerport/server/notifications';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { PasswordTokensService } from './password-tokens.service';

@Module({
  imports: [NotificationsModule],
  controllers: [AuthController],
  providers: [AuthService, PasswordHasher, LoginThrottle, PasswordTokensService],
  exports: [PasswordHasher, PasswordTokensService, LoginThrottle, AuthService],
})
export class AuthModule {}

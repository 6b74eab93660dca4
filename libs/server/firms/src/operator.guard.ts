import { HttpStatus, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import { AppException } from '@ledgerport/server/errors';
import { hashToken, safeEqual } from '@ledgerport/server/access';
import { FirmsErrorCode } from './firms.errors';

/** The platform operator: `Authorization: Bearer <OPERATOR_TOKEN>`. Off when OPERATOR_TOKEN is unset. */
@Injectable()
export class OperatorGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    const expected = this.config.OPERATOR_TOKEN;
    // Compare fixed-length digests so neither the length nor the content leaks through timing.
    const ok =
      !!expected &&
      !!given &&
      safeEqual(
        hashToken(this.config.SESSION_SECRET, given).toString('hex'),
        hashToken(this.config.SESSION_SECRET, expected).toString('hex'),
      );
    if (!ok) {
      throw new AppException(
        HttpStatus.UNAUTHORIZED,
        FirmsErrorCode.OPERATOR_UNAUTHORIZED,
        expected
          ? 'Operator endpoints need the header Authorization: Bearer <OPERATOR_TOKEN>.'
          : 'Operator endpoints are off: set OPERATOR_TOKEN to use them, or approve firms with `npm run firm:approve`.',
      );
    }
    return true;
  }
}

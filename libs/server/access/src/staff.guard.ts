import { HttpStatus, Injectable, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { AppException, CommonErrorCode } from '@ledgerport/server/errors';
import { SessionStore, type Principal } from './session.store';
import { safeEqual } from './tokens';

export const ADMIN_ONLY_KEY = 'ledgerport:adminOnly';
export const AdminOnlyMetadata = () => SetMetadata(ADMIN_ONLY_KEY, true);

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Signed-in firm staff: a valid session, a CSRF token on every write, and the admin role where
 * the handler asks for it. The principal is re-read from the database on each request.
 */
@Injectable()
export class StaffGuard extends AuthGuard('session') {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionStore,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    await super.canActivate(context);
    const req = context.switchToHttp().getRequest<FastifyRequest & { user: Principal }>();
    if (!SAFE_METHODS.has(req.method)) {
      const header = req.headers['x-csrf-token'];
      const expected = this.sessions.csrfToken(req.user.sessionId);
      if (typeof header !== 'string' || !safeEqual(header, expected)) {
        throw new AppException(
          HttpStatus.FORBIDDEN,
          CommonErrorCode.CSRF_TOKEN_INVALID,
          'This request is missing its security token. Reload the page and try again.',
        );
      }
    }
    const adminOnly = this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY_KEY, [context.getHandler(), context.getClass()]);
    if (adminOnly && req.user.user.role !== 'admin') {
      throw new AppException(HttpStatus.FORBIDDEN, CommonErrorCode.ADMIN_ONLY, 'Only a firm administrator can do this.');
    }
    return true;
  }

  override handleRequest<TUser = Principal>(err: unknown, user: TUser | false): TUser {
    if (err) throw err;
    if (!user) {
      throw new AppException(HttpStatus.UNAUTHORIZED, CommonErrorCode.UNAUTHENTICATED, 'Sign in to continue.');
    }
    return user;
  }
}

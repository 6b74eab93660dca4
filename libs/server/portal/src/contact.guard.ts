import { applyDecorators, createParamDecorator, HttpStatus, Injectable, UseGuards, type ExecutionContext } from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import { ApiCookieAuth, ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Strategy } from 'passport-custom';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppException, CommonErrorCode } from '@ledgerport/server/errors';
import { ErrorResponseDto, safeEqual } from '@ledgerport/server/access';
import { ContactSessionStore, PORTAL_COOKIE, type ContactPrincipal, type Membership } from './contact-session.store';
import { PortalErrorCode } from './portal.errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Passport strategy "contact-session": the portal's httpOnly cookie, checked against contact_sessions. */
@Injectable()
export class ContactSessionStrategy extends PassportStrategy(Strategy, 'contact-session') {
  constructor(private readonly sessions: ContactSessionStore) {
    super();
  }

  async validate(req: FastifyRequest): Promise<ContactPrincipal | false> {
    const token = req.cookies?.[PORTAL_COOKIE];
    if (!token) return false;
    return (await this.sessions.resolve(token)) ?? false;
  }
}

/** A signed-in client contact, with the CSRF token on every write. */
@Injectable()
export class ContactGuard extends AuthGuard('contact-session') {
  constructor(private readonly sessions: ContactSessionStore) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    await super.canActivate(context);
    const req = context.switchToHttp().getRequest<FastifyRequest & { user: ContactPrincipal }>();
    const renewal = req.user.renewal;
    if (renewal) {
      // The session's 30 days rolled forward: so must the cookie's, or the browser drops it on day 30.
      void context.switchToHttp().getResponse<FastifyReply>().setCookie(PORTAL_COOKIE, renewal.token, this.sessions.cookieOptions(renewal.expiresAt));
    }
    if (!SAFE_METHODS.has(req.method)) {
      const header = req.headers['x-csrf-token'];
      if (typeof header !== 'string' || !safeEqual(header, this.sessions.csrfToken(req.user.sessionId))) {
        throw new AppException(
          HttpStatus.FORBIDDEN,
          CommonErrorCode.CSRF_TOKEN_INVALID,
          'This request is missing its security token. Reload the page and try again.',
        );
      }
    }
    return true;
  }

  override handleRequest<TUser = ContactPrincipal>(err: unknown, user: TUser | false): TUser {
    if (err) throw err;
    if (!user) throw new AppException(HttpStatus.UNAUTHORIZED, CommonErrorCode.UNAUTHENTICATED, 'Sign in to continue.');
    return user;
  }
}

/** The handler needs a signed-in client contact. */
export const Contact = () =>
  applyDecorators(
    UseGuards(ContactGuard),
    ApiCookieAuth('portal-session'),
    ApiSecurity('csrf'),
    ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'Not signed in to the portal (UNAUTHENTICATED)' }),
    ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Missing CSRF token (CSRF_TOKEN_INVALID)' }),
  );

export const CurrentContact = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): ContactPrincipal => ctx.switchToHttp().getRequest<{ user: ContactPrincipal }>().user,
);

/** The membership of a business the contact may open, or 404 (never "exists but not yours"). */
export function membershipOf(p: ContactPrincipal, businessId: string): Membership {
  const m = p.memberships.find((x) => x.client_id === businessId);
  if (!m) throw new AppException(HttpStatus.NOT_FOUND, PortalErrorCode.BUSINESS_NOT_FOUND, 'There is no such business in your portal.');
  return m;
}

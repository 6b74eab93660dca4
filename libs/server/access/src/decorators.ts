import { applyDecorators, createParamDecorator, UseGuards, type ExecutionContext } from '@nestjs/common';
import { ApiCookieAuth, ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FirmScope } from '@ledgerport/server/db';
import { ErrorResponseDto } from './error-response.dto';
import { principalScope, type Principal } from './session.store';
import { AdminOnlyMetadata, StaffGuard } from './staff.guard';

/** The handler needs a signed-in member of a firm (admin or staff). */
export const Staff = () =>
  applyDecorators(
    UseGuards(StaffGuard),
    ApiCookieAuth('session'),
    ApiSecurity('csrf'),
    ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'Not signed in (code UNAUTHENTICATED)' }),
    ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Missing CSRF token, or admin-only (codes CSRF_TOKEN_INVALID, ADMIN_ONLY)' }),
  );

/** The handler needs a firm administrator. */
export const AdminOnly = () => applyDecorators(Staff(), AdminOnlyMetadata());

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest<{ user: Principal }>().user,
);

/** The FirmScope of the signed-in person: pass it to every repository call. */
export const CurrentScope = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): FirmScope => principalScope(ctx.switchToHttp().getRequest<{ user: Principal }>().user),
);

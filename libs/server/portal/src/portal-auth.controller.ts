import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Put, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiGoneResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorResponseDto } from '@ledgerport/server/access';
import { ContactSessionStore, PORTAL_COOKIE, type ContactPrincipal } from './contact-session.store';
import { Contact, CurrentContact } from './contact.guard';
import {
  PortalLoginDto,
  PortalMessageDto,
  PortalPasswordResetRequestDto,
  PortalSessionDto,
  PortalSetPasswordDto,
  ResetLinkInfoDto,
  SignInLinkInfoDto,
  SignInLinkRequestDto,
  SwitchBusinessDto,
  TokenDto,
} from './dto/portal.dto';
import { PortalAuthService, type PortalSignedIn, type RequestMeta } from './portal-auth.service';

const meta = (req: FastifyRequest): RequestMeta => ({ ip: req.ip, userAgent: req.headers['user-agent'] });

@ApiTags('portal')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Malformed or unknown fields (VALIDATION_FAILED)' })
@Controller('api/v1/portal/auth')
export class PortalAuthController {
  constructor(
    private readonly auth: PortalAuthService,
    private readonly sessions: ContactSessionStore,
  ) {}

  @Post('sign-in-link')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Email a client contact a sign-in link for this firm’s portal',
    description:
      'Answers the same whether or not the email belongs to a contact. The link works once, for 6 hours; asking again makes older links stop working. Throttled per email and per IP.',
  })
  @ApiAcceptedResponse({ type: PortalMessageDto })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: 'TOO_MANY_REQUESTS, with details.retryAfterSeconds' })
  async requestLink(@Body() dto: SignInLinkRequestDto, @Req() req: FastifyRequest): Promise<PortalMessageDto> {
    await this.auth.requestSignInLink(dto.email, dto.firmSlug, meta(req), dto.next);
    return { message: `If ${dto.email} can use this portal, a sign-in link is on its way. It works once, for 6 hours.` };
  }

  @Get('sign-in-link/:token')
  @ApiOperation({ summary: 'Check a sign-in link before showing its "Continue" button (does not use it up)' })
  @ApiOkResponse({ type: SignInLinkInfoDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'LINK_INVALID' })
  @ApiGoneResponse({ type: ErrorResponseDto, description: 'LINK_USED, LINK_EXPIRED or LINK_SUPERSEDED (details: firmSlug, email)' })
  inspectLink(@Param('token') token: string): Promise<SignInLinkInfoDto> {
    return this.auth.inspectSignInLink(token);
  }

  @Post('sign-in-link/sign-in')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Use a sign-in link (the "Continue" click); sets the portal session cookie' })
  @ApiOkResponse({ type: PortalSessionDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'LINK_INVALID' })
  @ApiGoneResponse({ type: ErrorResponseDto, description: 'LINK_USED, LINK_EXPIRED or LINK_SUPERSEDED' })
  async signInWithLink(@Body() dto: TokenDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<PortalSessionDto> {
    return this.signIn(reply, await this.auth.signInWithLink(dto.token, meta(req)));
  }

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Sign a client contact in with email and password' })
  @ApiOkResponse({ type: PortalSessionDto })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'INVALID_CREDENTIALS' })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: 'TOO_MANY_ATTEMPTS, with details.retryAfterSeconds' })
  async login(@Body() dto: PortalLoginDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<PortalSessionDto> {
    return this.signIn(reply, await this.auth.login(dto.email, dto.password, dto.firmSlug, meta(req)));
  }

  @Post('password-reset')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Email a link to choose a password (1 hour, single use); same answer for unknown emails' })
  @ApiAcceptedResponse({ type: PortalMessageDto })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: 'TOO_MANY_REQUESTS' })
  async requestReset(@Body() dto: PortalPasswordResetRequestDto, @Req() req: FastifyRequest): Promise<PortalMessageDto> {
    await this.auth.requestPasswordReset(dto.email, dto.firmSlug, meta(req));
    return { message: `If ${dto.email} can use this portal, a link to choose a password is on its way. It works once, for 1 hour.` };
  }

  @Get('password-reset/:token')
  @ApiOperation({ summary: 'Check a password link before showing the form' })
  @ApiOkResponse({ type: ResetLinkInfoDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'TOKEN_INVALID' })
  @ApiGoneResponse({ type: ErrorResponseDto, description: 'TOKEN_USED, TOKEN_EXPIRED or TOKEN_SUPERSEDED' })
  inspectReset(@Param('token') token: string): Promise<ResetLinkInfoDto> {
    return this.auth.inspectReset(token);
  }

  @Post('password')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Choose a password from a reset link; ends other sessions and signs in' })
  @ApiOkResponse({ type: PortalSessionDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'TOKEN_INVALID' })
  @ApiGoneResponse({ type: ErrorResponseDto, description: 'TOKEN_USED, TOKEN_EXPIRED or TOKEN_SUPERSEDED' })
  async setPassword(@Body() dto: PortalSetPasswordDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<PortalSessionDto> {
    return this.signIn(reply, await this.auth.setPassword(dto.token, dto.password, meta(req)));
  }

  @Get('session')
  @Contact()
  @ApiOperation({ summary: 'The signed-in contact, their businesses (with open-item counts) and the CSRF token' })
  @ApiOkResponse({ type: PortalSessionDto })
  session(@CurrentContact() p: ContactPrincipal): Promise<PortalSessionDto> {
    return this.auth.sessionOf(p);
  }

  @Put('session/business')
  @Contact()
  @ApiOperation({ summary: 'Switch to another business; remembered for the next visit' })
  @ApiOkResponse({ type: PortalSessionDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'BUSINESS_NOT_FOUND' })
  switchBusiness(@CurrentContact() p: ContactPrincipal, @Body() dto: SwitchBusinessDto): Promise<PortalSessionDto> {
    return this.auth.switchBusiness(p, dto.businessId);
  }

  @Post('logout')
  @Contact()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Sign out of the portal' })
  @ApiNoContentResponse()
  async logout(@CurrentContact() p: ContactPrincipal, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.auth.logout(p);
    void reply.clearCookie(PORTAL_COOKIE, this.sessions.cookieOptions());
  }

  private signIn(reply: FastifyReply, s: PortalSignedIn): PortalSessionDto {
    void reply.setCookie(PORTAL_COOKIE, s.token, this.sessions.cookieOptions(s.expiresAt));
    return s.session;
  }
}

import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
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
import { CurrentPrincipal, ErrorResponseDto, SESSION_COOKIE, SessionStore, Staff, type Principal } from '@ledgerport/server/access';
import { AuthService, type RequestMeta, type SignedIn } from './auth.service';
import {
  LoginDto,
  MessageDto,
  PasswordResetRequestDto,
  PasswordTokenInfoDto,
  SessionDto,
  SetPasswordDto,
} from './dto/auth.dto';

const meta = (req: FastifyRequest): RequestMeta => ({ ip: req.ip, userAgent: req.headers['user-agent'] });

@ApiTags('auth')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Malformed or unknown fields (VALIDATION_FAILED)' })
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionStore,
  ) {}

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Sign in with email and password; sets the session cookie' })
  @ApiOkResponse({ type: SessionDto })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'INVALID_CREDENTIALS' })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: 'TOO_MANY_ATTEMPTS, with details.retryAfterSeconds' })
  async login(@Body() dto: LoginDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<SessionDto> {
    return this.signIn(reply, await this.auth.login(dto.email, dto.password, meta(req)));
  }

  @Post('logout')
  @Staff()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Sign out: ends this session and clears the cookie' })
  @ApiNoContentResponse()
  async logout(@CurrentPrincipal() p: Principal, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.auth.logout(p);
    void reply.clearCookie(SESSION_COOKIE, this.sessions.cookieOptions());
  }

  @Get('session')
  @Staff()
  @ApiOperation({ summary: 'Who is signed in, and the CSRF token to send on writes' })
  @ApiOkResponse({ type: SessionDto })
  session(@CurrentPrincipal() p: Principal): SessionDto {
    return this.auth.sessionOf(p);
  }

  @Post('password-reset')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Email a password reset link (answers the same whether or not the email is known)' })
  @ApiAcceptedResponse({ type: MessageDto })
  async requestReset(@Body() dto: PasswordResetRequestDto): Promise<MessageDto> {
    await this.auth.requestReset(dto.email);
    return { message: 'If that email belongs to a Ledgerport login, a reset link is on its way. It works for one hour.' };
  }

  @Get('password-tokens/:token')
  @ApiOperation({ summary: 'Check an invitation or reset link before showing the set-password form' })
  @ApiOkResponse({ type: PasswordTokenInfoDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'TOKEN_INVALID' })
  @ApiGoneResponse({ type: ErrorResponseDto, description: 'TOKEN_USED, TOKEN_EXPIRED or TOKEN_SUPERSEDED' })
  inspect(@Param('token') token: string): Promise<PasswordTokenInfoDto> {
    return this.auth.inspectToken(token);
  }

  @Post('password')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Set a password from an invitation or reset link; signs the person in' })
  @ApiOkResponse({ type: SessionDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'TOKEN_INVALID' })
  @ApiGoneResponse({ type: ErrorResponseDto, description: 'TOKEN_USED, TOKEN_EXPIRED or TOKEN_SUPERSEDED' })
  async setPassword(@Body() dto: SetPasswordDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<SessionDto> {
    return this.signIn(reply, await this.auth.setPassword(dto.token, dto.password, meta(req)));
  }

  private signIn(reply: FastifyReply, s: SignedIn): SessionDto {
    void reply.setCookie(SESSION_COOKIE, s.token, this.sessions.cookieOptions(s.expiresAt));
    return s.session;
  }
}

import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Inject, Param, Post, Put, Query, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiFoundResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentScope, ErrorResponseDto, sessionCookieOptions, Staff, StaffGuard, uuidPipe } from '@ledgerport/server/access';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import type { FirmScope } from '@ledgerport/server/db';
import { AppException } from '@ledgerport/server/errors';
import { connectErrorPage, connectResultPage, PROVIDER_LOGOS } from './connect-pages';
import { ConnectionsService } from './connections.service';
import {
  BoardPageDto,
  BoardQuery,
  ClientConnectionDto,
  ConnectionDto,
  ConnectQuery,
  LedgerAccountListDto,
  SetDefaultAccountsDto,
} from './dto/connections.dto';

/** The browser's half of a consent's state, sent back only to the callback. */
export const STATE_COOKIE = 'lp_ledger_state';
export const CALLBACK_PREFIX = '/api/v1/connections/callback';

@ApiTags('connections')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
@Controller('api/v1')
export class ConnectionsController {
  constructor(
    private readonly connections: ConnectionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('clients/:clientId/connection')
  @Staff()
  @ApiOperation({ summary: "The client's ledger connection (or null) and the ledgers it can connect to" })
  @ApiOkResponse({ type: ClientConnectionDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'CLIENT_NOT_FOUND' })
  get(@CurrentScope() scope: FirmScope, @Param('clientId', uuidPipe) clientId: string): Promise<ClientConnectionDto> {
    return this.connections.forClient(scope, clientId);
  }

  @Get('clients/:clientId/connection/connect')
  @UseGuards(StaffGuard)
  @ApiOperation({
    summary: 'Start connecting (browser navigation, in a popup): redirects to the ledger’s consent page',
    description: 'Refusals answer a small HTML page that tells the opener (postMessage) and closes, like the callback.',
  })
  @ApiFoundResponse({ description: 'Redirect to the provider' })
  async connect(
    @CurrentScope() scope: FirmScope,
    @Param('clientId', uuidPipe) clientId: string,
    @Query() q: ConnectQuery,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    try {
      const { url, state } = await this.connections.startConnect(scope, clientId, q.provider);
      void reply.setCookie(STATE_COOKIE, state, { ...sessionCookieOptions(this.config, undefined, CALLBACK_PREFIX), maxAge: 900 });
      await reply.redirect(url, 302);
    } catch (err) {
      if (!(err instanceof AppException)) throw err;
      await reply.status(err.status).type('text/html; charset=utf-8').send(connectErrorPage(err.message, clientId, `/clients/${clientId}`));
    }
  }

  @Get('connections/callback/:provider')
  @ApiOperation({ summary: 'Where the ledger returns after consent; answers a page that tells the console and closes the popup' })
  @ApiOkResponse({ description: 'An HTML page', content: { 'text/html': { schema: { type: 'string' } } } })
  async callback(@Param('provider') provider: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const query = req.query as Record<string, string | undefined>;
    const callbackUrl = `${this.config.APP_URL.replace(/\/$/, '')}${req.url}`;
    const cookieState = req.cookies?.[STATE_COOKIE];
    const outcome = await this.connections.completeConnect(provider, query, cookieState, callbackUrl);
    // Only this browser's own flow ends here; a forged callback must not clear it.
    if (cookieState && query.state === cookieState) void reply.clearCookie(STATE_COOKIE, { path: CALLBACK_PREFIX });
    await reply
      .status(outcome.status === 'connected' ? 200 : 400)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(connectResultPage(outcome));
  }

  @Post('clients/:clientId/connection/refresh')
  @Staff()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Re-read the company details, classes and chart of accounts from the ledger' })
  @ApiOkResponse({ type: ConnectionDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'CLIENT_NOT_FOUND or NO_CONNECTION' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'NEEDS_RECONNECT' })
  refresh(@CurrentScope() scope: FirmScope, @Param('clientId', uuidPipe) clientId: string): Promise<ConnectionDto> {
    return this.connections.refresh(scope, clientId);
  }

  @Delete('clients/:clientId/connection')
  @Staff()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Disconnect: revokes the grant at the ledger and removes the tokens; history stays' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'CLIENT_NOT_FOUND or NO_CONNECTION' })
  async disconnect(@CurrentScope() scope: FirmScope, @Param('clientId', uuidPipe) clientId: string): Promise<void> {
    await this.connections.disconnect(scope, clientId);
  }

  @Get('clients/:clientId/connection/accounts')
  @Staff()
  @ApiOperation({ summary: "The ledger's chart of accounts, as last read" })
  @ApiOkResponse({ type: LedgerAccountListDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'CLIENT_NOT_FOUND or NO_CONNECTION' })
  async accounts(@CurrentScope() scope: FirmScope, @Param('clientId', uuidPipe) clientId: string): Promise<LedgerAccountListDto> {
    return { items: await this.connections.accounts(scope, clientId) };
  }

  @Put('clients/:clientId/connection/default-accounts')
  @Staff()
  @ApiOperation({ summary: 'Choose the default expense and income accounts (from the chart of accounts)' })
  @ApiOkResponse({ type: ConnectionDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'CLIENT_NOT_FOUND or NO_CONNECTION' })
  setDefaults(@CurrentScope() scope: FirmScope, @Param('clientId', uuidPipe) clientId: string, @Body() dto: SetDefaultAccountsDto): Promise<ConnectionDto> {
    return this.connections.setDefaults(scope, clientId, dto);
  }

  @Get('connections')
  @Staff()
  @ApiOperation({ summary: 'The connections board: every client you may see, with its ledger connection' })
  @ApiOkResponse({ type: BoardPageDto })
  board(@CurrentScope() scope: FirmScope, @Query() q: BoardQuery): Promise<BoardPageDto> {
    return this.connections.board(scope, q);
  }

  @Get('public/providers/:name/logo.svg')
  @ApiOperation({ summary: 'A small mark for a ledger (SVG)' })
  @ApiOkResponse({ description: 'SVG', content: { 'image/svg+xml': { schema: { type: 'string', format: 'binary' } } } })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'NOT_FOUND' })
  async logo(@Param('name') name: string, @Res() reply: FastifyReply): Promise<void> {
    const svg = PROVIDER_LOGOS[name as 'qbo' | 'xero'];
    if (!svg || !Object.hasOwn(PROVIDER_LOGOS, name)) throw new AppException(HttpStatus.NOT_FOUND, 'NOT_FOUND', 'There is no such ledger.');
    await reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'").send(svg);
  }
}

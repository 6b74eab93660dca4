import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiFoundResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ErrorResponseDto, sessionCookieOptions, uuidPipe } from '@ledgerport/server/access';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import { AppException } from '@ledgerport/server/errors';
import { Contact, CurrentContact, type ContactPrincipal } from '@ledgerport/server/portal';
import { connectErrorPage } from './connect-pages';
import { CALLBACK_PREFIX, STATE_COOKIE } from './connections.controller';
import { ConnectionsService } from './connections.service';
import { ConnectQuery, PortalConnectionDto } from './dto/connections.dto';

/** L1 in the client portal: a business's ledger connection, and connecting it where the firm allows. */
@ApiTags('portal')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
@Contact()
@Controller('api/v1/portal/businesses/:businessId/connection')
export class PortalConnectionController {
  constructor(
    private readonly connections: ConnectionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: "The business's ledger connection, and whether its contacts may connect it" })
  @ApiOkResponse({ type: PortalConnectionDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'BUSINESS_NOT_FOUND' })
  get(@CurrentContact() p: ContactPrincipal, @Param('businessId', uuidPipe) businessId: string): Promise<PortalConnectionDto> {
    return this.connections.forContact(p, businessId);
  }

  @Get('connect')
  @ApiOperation({
    summary: 'Connect or reconnect the business’s ledger (browser navigation, in a popup): redirects to the ledger’s consent page',
    description:
      'Only where the firm turned on “Client connects their ledger”. Refusals (LEDGER_CONNECT_OFF 403, ALREADY_CONNECTED 409, BUSINESS_NOT_FOUND 404) answer a small HTML page that tells the opener (postMessage) and closes, like the callback.',
  })
  @ApiFoundResponse({ description: 'Redirect to the provider' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'BUSINESS_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'ALREADY_CONNECTED' })
  async connect(
    @CurrentContact() p: ContactPrincipal,
    @Param('businessId', uuidPipe) businessId: string,
    @Query() q: ConnectQuery,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    try {
      const { url, state } = await this.connections.startConnectAsContact(p, businessId, q.provider);
      void reply.setCookie(STATE_COOKIE, state, { ...sessionCookieOptions(this.config, undefined, CALLBACK_PREFIX), maxAge: 900 });
      await reply.redirect(url, 302);
    } catch (err) {
      if (!(err instanceof AppException)) throw err;
      const own = p.memberships.find((x) => x.client_id === businessId);
      await reply
        .status(err.status)
        .type('text/html; charset=utf-8')
        .send(connectErrorPage(err.message, own ? businessId : null, own ? `/portal/${own.firm_slug}/home` : null));
    }
  }
}

import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdminOnly, CurrentScope, ErrorResponseDto, Staff, uuidPipe } from '@ledgerport/server/access';
import type { FirmScope } from '@ledgerport/server/db';
import { AppException } from '@ledgerport/server/errors';
import {
  PayeeListDto,
  PayeeQuery,
  ReviewAccountListDto,
  SetReviewDto,
  SyncIntervalDto,
  SyncRunDto,
  SyncRunListDto,
  SyncStatusDto,
  TransactionDetailDto,
  TransactionPageDto,
  TransactionQuery,
  WebhookAckDto,
} from './dto/sync.dto';
import { SyncErrorCode, SyncService } from './sync.service';
import { TransactionsService } from './transactions.service';
import { WebhooksService } from './webhooks.service';

@ApiTags('sync')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
@Controller('api/v1')
export class SyncController {
  constructor(
    private readonly sync: SyncService,
    private readonly transactions: TransactionsService,
  ) {}

  @Get('clients/:clientId/sync')
  @Staff()
  @ApiOperation({ summary: "The client's sync: the run going now (with its progress), the last one, and the counts" })
  @ApiOkResponse({ type: SyncStatusDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'CLIENT_NOT_FOUND or NO_CONNECTION' })
  status(@CurrentScope() scope: FirmScope, @Param('clientId', uuidPipe) clientId: string): Promise<SyncStatusDto> {
    return this.sync.status(scope, clientId);
  }

  @Post('clients/:clientId/sync')
  @Staff()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Sync now: queues a sync (or answers the one already queued or running)' })
  @ApiAcceptedResponse({ type: SyncRunDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'CLIENT_NOT_FOUND or NO_CONNECTION' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'NEEDS_RECONNECT' })
  syncNow(@CurrentScope() scope: FirmScope, @Param('clientId', uuidPipe) clientId: string): Promise<SyncRunDto> {
    return this.sync.syncNow(scope, clientId);
  }

  @Get('clients/:clientId/sync/runs')
  @Staff()
  @ApiOperation({ summary: 'The last 20 sync runs of the client, newest first' })
  @ApiOkResponse({ type: SyncRunListDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'CLIENT_NOT_FOUND' })
  async runs(@CurrentScope() scope: FirmScope, @Param('clientId', uuidPipe) clientId: string): Promise<SyncRunListDto> {
    return { items: await this.sync.runs(scope, clientId, 20) };
  }

  @Get('clients/:clientId/transactions')
  @Staff()
  @ApiOperation({ summary: "The client's transactions, newest first: filters, search, keyset pages" })
  @ApiOkResponse({ type: TransactionPageDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'CLIENT_NOT_FOUND' })
  list(@CurrentScope() scope: FirmScope, @Param('clientId', uuidPipe) clientId: string, @Query() q: TransactionQuery): Promise<TransactionPageDto> {
    return this.transactions.list(scope, clientId, q);
  }

  @Get('clients/:clientId/transactions/:transactionId')
  @Staff()
  @ApiOperation({ summary: 'One transaction with its lines' })
  @ApiOkResponse({ type: TransactionDetailDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'CLIENT_NOT_FOUND or TRANSACTION_NOT_FOUND' })
  get(@CurrentScope() scope: FirmScope, @Param('clientId', uuidPipe) clientId: string, @Param('transactionId') id: string): Promise<TransactionDetailDto> {
    return this.transactions.get(scope, clientId, id);
  }

  @Get('clients/:clientId/payees')
  @Staff()
  @ApiOperation({ summary: "The ledger's payees whose name contains q (at most 50), for the explorer's payee filter" })
  @ApiOkResponse({ type: PayeeListDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'CLIENT_NOT_FOUND' })
  async payees(@CurrentScope() scope: FirmScope, @Param('clientId', uuidPipe) clientId: string, @Query() q: PayeeQuery): Promise<PayeeListDto> {
    return { items: await this.transactions.payees(scope, clientId, q.q) };
  }

  @Get('clients/:clientId/review-accounts')
  @Staff()
  @ApiOperation({ summary: 'The chart of accounts with which accounts mean “needs review” (S5)' })
  @ApiOkResponse({ type: ReviewAccountListDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'CLIENT_NOT_FOUND or NO_CONNECTION' })
  async reviewAccounts(@CurrentScope() scope: FirmScope, @Param('clientId', uuidPipe) clientId: string): Promise<ReviewAccountListDto> {
    return { items: await this.sync.reviewAccounts(scope, clientId) };
  }

  @Put('clients/:clientId/review-accounts/:accountId')
  @Staff()
  @ApiOperation({ summary: 'Mark an account as needing review (or not); flags and counts follow at once' })
  @ApiOkResponse({ type: ReviewAccountListDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'CLIENT_NOT_FOUND, NO_CONNECTION or ACCOUNT_NOT_FOUND' })
  async setReview(
    @CurrentScope() scope: FirmScope,
    @Param('clientId', uuidPipe) clientId: string,
    @Param('accountId') accountId: string,
    @Body() dto: SetReviewDto,
  ): Promise<ReviewAccountListDto> {
    return { items: await this.sync.setReview(scope, clientId, accountId, dto.needsReview) };
  }

  @Get('firm/sync-settings')
  @Staff()
  @ApiOperation({ summary: "The firm's sync interval" })
  @ApiOkResponse({ type: SyncIntervalDto })
  async interval(@CurrentScope() scope: FirmScope): Promise<SyncIntervalDto> {
    return { intervalMinutes: await this.sync.interval(scope) };
  }

  @Put('firm/sync-settings')
  @AdminOnly()
  @ApiOperation({ summary: "Set the firm's sync interval (admins)" })
  @ApiOkResponse({ type: SyncIntervalDto })
  async setInterval(@CurrentScope() scope: FirmScope, @Body() dto: SyncIntervalDto): Promise<SyncIntervalDto> {
    return { intervalMinutes: await this.sync.setInterval(scope, dto.intervalMinutes) };
  }
}

type RawRequest = FastifyRequest & { rawBody?: Buffer };

@ApiTags('webhooks')
@Controller('api/v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post('quickbooks')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'QuickBooks Online notifications (legacy eventNotifications or a CloudEvents array), signed in intuit-signature',
    description: 'Queues a sync of each connected company named; never syncs inline. A delivery seen before is acknowledged and ignored.',
  })
  @ApiOkResponse({ type: WebhookAckDto, description: 'Accepted' })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'WEBHOOK_SIGNATURE_INVALID' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'WEBHOOK_BODY_INVALID' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'WEBHOOK_NOT_CONFIGURED' })
  async quickbooks(@Req() req: RawRequest): Promise<WebhookAckDto> {
    const header = req.headers['intuit-signature'];
    const outcome = await this.webhooks.quickbooks(req.rawBody, typeof header === 'string' ? header : undefined);
    refuse(outcome.kind);
    return { received: true };
  }

  @Post('xero')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Xero webhooks, signed in x-xero-signature, including the intent-to-receive handshake',
    description: 'A correctly signed delivery gets 200 with an empty body and a mis-signed one 401, as Xero requires.',
  })
  @ApiOkResponse({ description: 'Accepted (empty body)', content: { 'text/plain': { schema: { type: 'string', maxLength: 0 } } } })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'WEBHOOK_SIGNATURE_INVALID (Xero only checks the status)' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'WEBHOOK_BODY_INVALID' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'WEBHOOK_NOT_CONFIGURED' })
  async xero(@Req() req: RawRequest, @Res() reply: FastifyReply): Promise<void> {
    const header = req.headers['x-xero-signature'];
    const outcome = await this.webhooks.xero(req.rawBody, typeof header === 'string' ? header : undefined);
    refuse(outcome.kind);
    await reply.status(200).send();
  }
}

function refuse(kind: string): void {
  if (kind === 'bad_signature') throw new AppException(HttpStatus.UNAUTHORIZED, SyncErrorCode.WEBHOOK_SIGNATURE_INVALID, 'The signature does not match the body.');
  if (kind === 'not_configured') throw new AppException(HttpStatus.NOT_FOUND, SyncErrorCode.WEBHOOK_NOT_CONFIGURED, 'Webhooks from this ledger are not set up here.');
  if (kind === 'bad_body') throw new AppException(HttpStatus.BAD_REQUEST, SyncErrorCode.WEBHOOK_BODY_INVALID, 'The notification is not in a shape this ledger sends.');
}

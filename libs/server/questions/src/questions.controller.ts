import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiNoContentResponse,
  ApiPayloadTooLargeResponse,
  ApiUnsupportedMediaTypeResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentScope, ErrorResponseDto, Staff, uuidPipe } from '@ledgerport/server/access';
import type { FirmScope } from '@ledgerport/server/db';
import { Contact, CurrentContact, type ContactPrincipal } from '@ledgerport/server/portal';
import {
  AnswerDto,
  ApplyDto,
  AttachmentDto,
  AskedDto,
  AskFirmDto,
  AskQuestionDto,
  BulkAskDto,
  PortalQuestionDetailDto,
  PortalQuestionListDto,
  PostMessageDto,
  QuestionDetailDto,
  QuestionDto,
  QuestionListDto,
  QuestionQuery,
  ReassignDto,
  UpdateQuestionDto,
} from './dto/questions.dto';
import { AttachmentsService } from './attachments.service';
import { PortalQuestionsService } from './portal-questions.service';
import { QuestionsService } from './questions.service';

/** The lists come as JSON kept by QuestionListCache, sent as they are. */
const JSON_TYPE = 'application/json; charset=utf-8';

/** What a download answers: the type found in the file's bytes at upload. */
const FILE_CONTENT = Object.fromEntries(
  ['image/jpeg', 'image/png', 'image/heic', 'image/webp', 'image/gif', 'application/pdf'].map((t) => [t, { schema: { type: 'string', format: 'binary' } }]),
);

@ApiTags('questions')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED and the codes named per operation' })
@Staff()
@Controller('api/v1')
export class QuestionsController {
  constructor(
    private readonly questions: QuestionsService,
    private readonly attachments: AttachmentsService,
  ) {}

  @Get('questions/:questionId/attachments/:attachmentId')
  @ApiOperation({ summary: 'Download a file sent with an answer (never from a public path)' })
  @ApiOkResponse({ description: 'The file, as an attachment', content: FILE_CONTENT })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'ATTACHMENT_NOT_FOUND' })
  download(
    @CurrentScope() scope: FirmScope,
    @Param('questionId', uuidPipe) id: string,
    @Param('attachmentId', uuidPipe) attachmentId: string,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    return this.attachments.sendToStaff(scope, id, attachmentId, reply);
  }

  @Post('clients/:clientId/questions')
  @ApiOperation({ summary: 'Ask the client a question, about a transaction or not (Q1, Q2)' })
  @ApiCreatedResponse({ type: QuestionDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'CLIENT_NOT_FOUND, TRANSACTION_NOT_FOUND or CONTACT_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'DUPLICATE_QUESTION (the transaction already has one) or NO_CONTACTS' })
  ask(@CurrentScope() scope: FirmScope, @Param('clientId', uuidPipe) clientId: string, @Body() dto: AskQuestionDto): Promise<QuestionDto> {
    return this.questions.ask(scope, clientId, dto);
  }

  @Post('clients/:clientId/questions/bulk')
  @ApiOperation({ summary: 'Ask about many transactions at once (Q8): all are asked, or none' })
  @ApiCreatedResponse({ type: AskedDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'CLIENT_NOT_FOUND, TRANSACTION_NOT_FOUND or CONTACT_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'DUPLICATE_QUESTION (details name each one) or NO_CONTACTS' })
  askBulk(@CurrentScope() scope: FirmScope, @Param('clientId', uuidPipe) clientId: string, @Body() dto: BulkAskDto): Promise<AskedDto> {
    return this.questions.askBulk(scope, clientId, dto);
  }

  @Get('questions')
  @ApiOperation({ summary: 'The question board: every client the caller may see, or one (clientId), with counts per status' })
  @ApiOkResponse({ type: QuestionListDto })
  list(@CurrentScope() scope: FirmScope, @Query() q: QuestionQuery, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    reply.type(JSON_TYPE);
    return this.questions.boardJson(scope, q);
  }

  @Get('questions/:questionId')
  @ApiOperation({ summary: 'One question with its whole thread, internal notes included' })
  @ApiOkResponse({ type: QuestionDetailDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'QUESTION_NOT_FOUND' })
  get(@CurrentScope() scope: FirmScope, @Param('questionId', uuidPipe) id: string): Promise<QuestionDetailDto> {
    return this.questions.get(scope, id);
  }

  @Patch('questions/:questionId')
  @ApiOperation({ summary: 'Change the text, the contact asked, who follows it up, the due date or the categories offered' })
  @ApiOkResponse({ type: QuestionDetailDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'QUESTION_NOT_FOUND or CONTACT_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'QUESTION_RESOLVED' })
  update(@CurrentScope() scope: FirmScope, @Param('questionId', uuidPipe) id: string, @Body() dto: UpdateQuestionDto): Promise<QuestionDetailDto> {
    return this.questions.update(scope, id, dto);
  }

  @Post('questions/:questionId/messages')
  @ApiOperation({ summary: 'Write to the client (the question goes back to them) or add an internal note (Q10)' })
  @ApiCreatedResponse({ type: QuestionDetailDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'QUESTION_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'QUESTION_RESOLVED (notes are still allowed)' })
  message(@CurrentScope() scope: FirmScope, @Param('questionId', uuidPipe) id: string, @Body() dto: PostMessageDto): Promise<QuestionDetailDto> {
    return this.questions.postMessage(scope, id, dto);
  }

  @Post('questions/:questionId/resolve')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Resolve: done, and gone from the client’s portal (Q6)' })
  @ApiOkResponse({ type: QuestionDetailDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'QUESTION_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'QUESTION_RESOLVED' })
  resolve(@CurrentScope() scope: FirmScope, @Param('questionId', uuidPipe) id: string): Promise<QuestionDetailDto> {
    return this.questions.resolve(scope, id);
  }

  @Post('questions/:questionId/apply')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: "Write the category to the ledger (S6): the client's pick, or the account named; the worker does it, `apply.status` tells" })
  @ApiAcceptedResponse({ type: QuestionDetailDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'QUESTION_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'NOT_A_TRANSACTION_QUESTION, NOTHING_TO_APPLY, APPLY_IN_PROGRESS or NEEDS_RECONNECT' })
  apply(@CurrentScope() scope: FirmScope, @Param('questionId', uuidPipe) id: string, @Body() dto: ApplyDto): Promise<QuestionDetailDto> {
    return this.questions.apply(scope, id, dto);
  }

  @Post('questions/:questionId/reopen')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Reopen a resolved question: it goes back to the client' })
  @ApiOkResponse({ type: QuestionDetailDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'QUESTION_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'NOT_RESOLVED' })
  reopen(@CurrentScope() scope: FirmScope, @Param('questionId', uuidPipe) id: string): Promise<QuestionDetailDto> {
    return this.questions.reopen(scope, id);
  }
}

@ApiTags('portal')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED and the codes named per operation' })
@Contact()
@Controller('api/v1/portal/businesses/:businessId/questions')
export class PortalQuestionsController {
  constructor(
    private readonly questions: PortalQuestionsService,
    private readonly attachments: AttachmentsService,
  ) {}

  @Post(':questionId/attachments')
  @ApiOperation({ summary: 'Upload a receipt (photo or PDF) to send with an answer; it waits unseen until the answer is sent' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiCreatedResponse({ type: AttachmentDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'BUSINESS_NOT_FOUND or QUESTION_NOT_FOUND' })
  @ApiPayloadTooLargeResponse({ type: ErrorResponseDto, description: 'FILE_TOO_LARGE (over UPLOAD_MAX_BYTES, 10 MB by default)' })
  @ApiUnsupportedMediaTypeResponse({ type: ErrorResponseDto, description: 'FILE_TYPE_NOT_ALLOWED: only JPEG, PNG, HEIC, WebP, GIF or PDF, judged by the bytes' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'TOO_MANY_ATTACHMENTS (10 waiting to be sent)' })
  upload(
    @CurrentContact() p: ContactPrincipal,
    @Param('businessId', uuidPipe) businessId: string,
    @Param('questionId', uuidPipe) id: string,
    @Req() req: FastifyRequest,
  ): Promise<AttachmentDto> {
    return this.attachments.upload(p, businessId, id, req);
  }

  @Delete(':questionId/attachments/:attachmentId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Remove an upload you have not sent yet' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'ATTACHMENT_NOT_FOUND' })
  discard(
    @CurrentContact() p: ContactPrincipal,
    @Param('businessId', uuidPipe) businessId: string,
    @Param('questionId', uuidPipe) id: string,
    @Param('attachmentId', uuidPipe) attachmentId: string,
  ): Promise<void> {
    return this.attachments.discard(p, businessId, id, attachmentId);
  }

  @Get(':questionId/attachments/:attachmentId')
  @ApiOperation({ summary: 'Download a file of the question (sent ones, and your own unsent ones)' })
  @ApiOkResponse({ description: 'The file, as an attachment', content: FILE_CONTENT })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'ATTACHMENT_NOT_FOUND' })
  download(
    @CurrentContact() p: ContactPrincipal,
    @Param('businessId', uuidPipe) businessId: string,
    @Param('questionId', uuidPipe) id: string,
    @Param('attachmentId', uuidPipe) attachmentId: string,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    return this.attachments.sendToContact(p, businessId, id, attachmentId, reply);
  }

  @Get()
  @ApiOperation({ summary: 'What needs your answer, what is with others at the business, what waits on the bookkeeper (Q4)' })
  @ApiOkResponse({ type: PortalQuestionListDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'BUSINESS_NOT_FOUND' })
  list(
    @CurrentContact() p: ContactPrincipal,
    @Param('businessId', uuidPipe) businessId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    reply.type(JSON_TYPE);
    return this.questions.listJson(p, businessId);
  }

  @Post()
  @ApiOperation({ summary: 'Ask the firm a question (Q3), where the firm allows it' })
  @ApiCreatedResponse({ type: PortalQuestionDetailDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'BUSINESS_NOT_FOUND' })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'QUESTIONS_FOR_US_OFF' })
  ask(@CurrentContact() p: ContactPrincipal, @Param('businessId', uuidPipe) businessId: string, @Body() dto: AskFirmDto): Promise<PortalQuestionDetailDto> {
    return this.questions.askFirm(p, businessId, dto);
  }

  @Get(':questionId')
  @ApiOperation({ summary: 'One question and its thread (never the firm’s internal notes)' })
  @ApiOkResponse({ type: PortalQuestionDetailDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'BUSINESS_NOT_FOUND or QUESTION_NOT_FOUND (resolved ones included)' })
  get(
    @CurrentContact() p: ContactPrincipal,
    @Param('businessId', uuidPipe) businessId: string,
    @Param('questionId', uuidPipe) id: string,
  ): Promise<PortalQuestionDetailDto> {
    return this.questions.get(p, businessId, id);
  }

  @Post(':questionId/answer')
  @ApiOperation({ summary: 'Answer with words, a category and receipts (Q7): the question then waits on the bookkeeper' })
  @ApiCreatedResponse({ type: PortalQuestionDetailDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'BUSINESS_NOT_FOUND or QUESTION_NOT_FOUND' })
  answer(
    @CurrentContact() p: ContactPrincipal,
    @Param('businessId', uuidPipe) businessId: string,
    @Param('questionId', uuidPipe) id: string,
    @Body() dto: AnswerDto,
  ): Promise<PortalQuestionDetailDto> {
    return this.questions.answer(p, businessId, id, dto);
  }

  @Post(':questionId/reassign')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Hand the question to someone else at the business (Q5); they are emailed' })
  @ApiOkResponse({ type: PortalQuestionDetailDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'BUSINESS_NOT_FOUND, QUESTION_NOT_FOUND or CONTACT_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'SAME_CONTACT' })
  reassign(
    @CurrentContact() p: ContactPrincipal,
    @Param('businessId', uuidPipe) businessId: string,
    @Param('questionId', uuidPipe) id: string,
    @Body() dto: ReassignDto,
  ): Promise<PortalQuestionDetailDto> {
    return this.questions.reassign(p, businessId, id, dto);
  }
}

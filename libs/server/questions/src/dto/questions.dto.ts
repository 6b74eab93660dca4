import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '@ledgerport/server/access';

export const QUESTION_KINDS = ['transaction', 'other', 'for_us'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];
export const QUESTION_STATUSES = ['open', 'answered', 'resolved'] as const;
export type QuestionStatus = (typeof QUESTION_STATUSES)[number];

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Ledgerport's transaction ids are bigints, sent as strings. */
const TXN_ID = /^\d{1,18}$/;
export const QUESTION_TEXT_MAX = 2000;
export const MESSAGE_MAX = 5000;

// ------------------------------------------------------------------ shapes

export class CategoryDto {
  @ApiProperty({ description: "The ledger's account id" }) id!: string;
  @ApiProperty({ example: 'Meals & Entertainment' }) name!: string;
}

export class QuestionTransactionDto {
  @ApiProperty({ type: String, nullable: true, description: "Ledgerport's transaction id; null once the ledger no longer has it" }) id!: string | null;
  @ApiProperty({ example: 'Purchase', description: "The ledger's entity" }) type!: string;
  @ApiProperty({ example: '2026-11-02' }) date!: string;
  @ApiProperty({ example: '-42.50', description: 'Decimal string; money out negative' }) amount!: string;
  @ApiProperty({ type: String, nullable: true }) currency!: string | null;
  @ApiProperty({ type: String, nullable: true }) payee!: string | null;
  @ApiProperty({ type: CategoryDto, nullable: true, description: 'The account it is posted to now (as asked)' }) account!: CategoryDto | null;
  @ApiProperty({ type: CategoryDto, nullable: true, description: 'The bank or card account the money moved through' }) bankAccount!: CategoryDto | null;
  @ApiProperty({ type: String, nullable: true }) memo!: string | null;
  @ApiProperty({ type: String, nullable: true }) reference!: string | null;
}

export class PersonDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}

export class AuthorDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) id!: string | null;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['firm', 'client'] }) side!: 'firm' | 'client';
}

export class AttachmentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() filename!: string;
  @ApiProperty({ example: 'image/jpeg', description: 'The type found in the file itself' }) contentType!: string;
  @ApiProperty() size!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class ApplyStateDto {
  @ApiProperty({ enum: ['pending', 'applied', 'failed'] }) status!: 'pending' | 'applied' | 'failed';
  @ApiProperty({ type: CategoryDto, nullable: true }) category!: CategoryDto | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why the ledger refused, in plain words' }) error!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) appliedAt!: string | null;
}

export class QuestionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Per client, from 1' }) number!: number;
  @ApiProperty({ example: 'Q-12' }) reference!: string;
  @ApiProperty({ enum: QUESTION_KINDS, description: 'transaction: about a ledger transaction; other: not; for_us: asked by the client' }) kind!: QuestionKind;
  @ApiProperty({
    enum: QUESTION_STATUSES,
    description: "Whose turn it is: open waits for the client, answered waits for the firm (a client's reply, or a new question for us), resolved is done",
  })
  status!: QuestionStatus;
  @ApiProperty() text!: string;
  @ApiProperty({ type: PersonDto }) client!: PersonDto;
  @ApiProperty({ type: QuestionTransactionDto, nullable: true, description: 'What the client is shown, as it was when asked' }) transaction!: QuestionTransactionDto | null;
  @ApiProperty({ type: [CategoryDto], description: 'Accounts offered to the client to pick from' }) categoryOptions!: CategoryDto[];
  @ApiProperty({ type: CategoryDto, nullable: true, description: "The client's pick, from their latest answer" }) answerCategory!: CategoryDto | null;
  @ApiProperty({ type: PersonDto, nullable: true, description: 'The client contact it is assigned to' }) contact!: PersonDto | null;
  @ApiProperty({ type: PersonDto, nullable: true, description: 'The staff member who follows it up' }) assignee!: PersonDto | null;
  @ApiProperty({ type: AuthorDto }) askedBy!: AuthorDto;
  @ApiProperty({ type: String, nullable: true, example: '2026-12-01' }) dueOn!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) lastActivityAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) answeredAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resolvedAt!: string | null;
  @ApiProperty({ description: 'Messages the client can see (internal notes not counted)' }) messageCount!: number;
  @ApiProperty() attachmentCount!: number;
  @ApiProperty({ type: ApplyStateDto, nullable: true, description: 'Write-back of a category to the ledger (S6)' }) apply!: ApplyStateDto | null;
}

export class QuestionMessageDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: AuthorDto }) author!: AuthorDto;
  @ApiProperty({ description: 'An internal note: the client never sees it' }) internal!: boolean;
  @ApiProperty() body!: string;
  @ApiProperty({ type: CategoryDto, nullable: true, description: 'The category picked with this answer' }) category!: CategoryDto | null;
  @ApiProperty({ type: [AttachmentDto] }) attachments!: AttachmentDto[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class QuestionDetailDto extends QuestionDto {
  @ApiProperty({ type: [QuestionMessageDto], description: 'Oldest first; the question itself is not repeated here' }) messages!: QuestionMessageDto[];
}

export class QuestionCountsDto {
  @ApiProperty() open!: number;
  @ApiProperty() answered!: number;
  @ApiProperty() resolved!: number;
}

export class QuestionListDto {
  @ApiProperty({ type: [QuestionDto] }) items!: QuestionDto[];
  @ApiProperty({ description: 'Matching the filters, all pages' }) total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
  @ApiProperty({ type: QuestionCountsDto, description: 'Per status, with every filter but the status' }) counts!: QuestionCountsDto;
}

export class AskedDto {
  @ApiProperty({ type: [QuestionDto] }) items!: QuestionDto[];
}

// ------------------------------------------------------------------ inputs

export class AskQuestionDto {
  @ApiProperty({ enum: ['transaction', 'other'] })
  @IsIn(['transaction', 'other'], { message: 'kind must be transaction or other' })
  kind!: 'transaction' | 'other';

  @ApiPropertyOptional({ description: "Ledgerport's transaction id (kind transaction)" })
  @ValidateIf((o: AskQuestionDto) => o.kind === 'transaction' || o.transactionId !== undefined)
  @IsString({ message: 'transactionId is required for a transaction question' })
  @Matches(TXN_ID, { message: 'transactionId must be a transaction id' })
  transactionId?: string;

  @ApiProperty({ maxLength: QUESTION_TEXT_MAX, example: 'What was this purchase for?' })
  @Transform(trimmed)
  @IsString()
  @MinLength(1, { message: 'text must not be empty' })
  @MaxLength(QUESTION_TEXT_MAX)
  text!: string;

  @ApiPropertyOptional({ type: [String], description: 'Account ids from the chart of accounts for the client to pick from (at most 10)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique({ message: 'categoryOptionIds must not repeat' })
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  categoryOptionIds?: string[];

  @ApiPropertyOptional({ format: 'uuid', description: "The client contact to ask (default: the client's primary contact)" })
  @IsOptional()
  @IsUUID('all', { message: 'contactId must be a UUID' })
  contactId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The staff member who follows it up (default: the asker)' })
  @IsOptional()
  @IsUUID('all', { message: 'assigneeUserId must be a UUID' })
  assigneeUserId?: string;

  @ApiPropertyOptional({ example: '2026-12-01' })
  @IsOptional()
  @Matches(DATE, { message: 'dueOn must be a date like 2026-12-01' })
  dueOn?: string;
}

export class BulkItemDto {
  @ApiProperty({ description: "Ledgerport's transaction id" })
  @IsString()
  @Matches(TXN_ID, { message: 'transactionId must be a transaction id' })
  transactionId!: string;

  @ApiPropertyOptional({ maxLength: QUESTION_TEXT_MAX, description: "This question's own text (default: the request's text)" })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MinLength(1, { message: 'text must not be empty' })
  @MaxLength(QUESTION_TEXT_MAX)
  text?: string;
}

export class BulkAskDto {
  @ApiProperty({ type: [BulkItemDto], description: 'One question per transaction (1 to 100)' })
  @IsArray()
  @ArrayMinSize(1, { message: 'items must name at least one transaction' })
  @ArrayMaxSize(100, { message: 'at most 100 questions at once' })
  @ValidateNested({ each: true })
  @Type(() => BulkItemDto)
  items!: BulkItemDto[];

  @ApiProperty({ maxLength: QUESTION_TEXT_MAX, example: 'What was this purchase for?', description: 'The text of every question without its own' })
  @Transform(trimmed)
  @IsString()
  @MinLength(1, { message: 'text must not be empty' })
  @MaxLength(QUESTION_TEXT_MAX)
  text!: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique({ message: 'categoryOptionIds must not repeat' })
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  categoryOptionIds?: string[];

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'contactId must be a UUID' })
  contactId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'assigneeUserId must be a UUID' })
  assigneeUserId?: string;

  @ApiPropertyOptional({ example: '2026-12-01' })
  @IsOptional()
  @Matches(DATE, { message: 'dueOn must be a date like 2026-12-01' })
  dueOn?: string;
}

export class UpdateQuestionDto {
  @ApiPropertyOptional({ maxLength: QUESTION_TEXT_MAX })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MinLength(1, { message: 'text must not be empty' })
  @MaxLength(QUESTION_TEXT_MAX)
  text?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'contactId must be a UUID' })
  contactId?: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'null: nobody follows it up' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID('all', { message: 'assigneeUserId must be a UUID or null' })
  assigneeUserId?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '2026-12-01', description: 'null: no due date' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(DATE, { message: 'dueOn must be a date like 2026-12-01, or null' })
  dueOn?: string | null;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique({ message: 'categoryOptionIds must not repeat' })
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  categoryOptionIds?: string[];
}

export class PostMessageDto {
  @ApiProperty({ maxLength: MESSAGE_MAX })
  @Transform(trimmed)
  @IsString()
  @MinLength(1, { message: 'body must not be empty' })
  @MaxLength(MESSAGE_MAX)
  body!: string;

  @ApiPropertyOptional({ default: false, description: 'An internal note the client never sees (firm only)' })
  @IsOptional()
  @IsBoolean()
  internal?: boolean;
}

export class QuestionQuery extends PageQuery {
  @ApiPropertyOptional({ enum: [...QUESTION_STATUSES, 'unresolved', 'all'], default: 'unresolved' })
  @IsOptional()
  @IsIn([...QUESTION_STATUSES, 'unresolved', 'all'], { message: 'status must be open, answered, resolved, unresolved or all' })
  status: QuestionStatus | 'unresolved' | 'all' = 'unresolved';

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'clientId must be a UUID' })
  clientId?: string;

  @ApiPropertyOptional({ description: "A staff member's id, `me`, or `none` (nobody follows it up)" })
  @IsOptional()
  @ValidateIf((_, v) => v !== 'me' && v !== 'none')
  @IsUUID('all', { message: 'assignee must be a UUID, me or none' })
  assignee?: string;

  @ApiPropertyOptional({ description: 'Only questions asked at least this many days ago' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'olderThanDays must be a whole number' })
  @Min(0)
  @Max(3650)
  olderThanDays?: number;

  @ApiPropertyOptional({ enum: QUESTION_KINDS })
  @IsOptional()
  @IsIn(QUESTION_KINDS, { message: 'kind must be transaction, other or for_us' })
  kind?: QuestionKind;

  @ApiPropertyOptional({ description: 'Words in the question, its reference (Q-12) or the payee' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(100)
  q?: string;
}

// ------------------------------------------------------------------ portal

export class PortalQuestionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Q-12' }) reference!: string;
  @ApiProperty({ enum: QUESTION_KINDS }) kind!: QuestionKind;
  @ApiProperty({ enum: ['open', 'answered'], description: 'open: needs an answer; answered: waiting on the bookkeeper' }) status!: 'open' | 'answered';
  @ApiProperty() text!: string;
  @ApiProperty({ type: QuestionTransactionDto, nullable: true }) transaction!: QuestionTransactionDto | null;
  @ApiProperty({ type: [CategoryDto] }) categoryOptions!: CategoryDto[];
  @ApiProperty({ type: CategoryDto, nullable: true }) answerCategory!: CategoryDto | null;
  @ApiProperty({ type: PersonDto, nullable: true, description: 'Who at the business is asked' }) contact!: PersonDto | null;
  @ApiProperty({ description: 'Assigned to the signed-in person' }) mine!: boolean;
  @ApiProperty({ type: AuthorDto }) askedBy!: AuthorDto;
  @ApiProperty({ type: String, nullable: true }) dueOn!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) lastActivityAt!: string;
  @ApiProperty() messageCount!: number;
}

export class PortalQuestionDetailDto extends PortalQuestionDto {
  @ApiProperty({ type: [QuestionMessageDto] }) messages!: QuestionMessageDto[];
  @ApiProperty({ type: [PersonDto], description: 'People at the business it can be handed to' }) teammates!: PersonDto[];
}

export class PortalQuestionListDto {
  @ApiProperty({ type: [PortalQuestionDto], description: 'Open and assigned to you' }) needsAnswer!: PortalQuestionDto[];
  @ApiProperty({ type: [PortalQuestionDto], description: 'Open and assigned to someone else at the business' }) withOthers!: PortalQuestionDto[];
  @ApiProperty({ type: [PortalQuestionDto], description: 'Answered, or asked by the business: waiting on the bookkeeper' }) waiting!: PortalQuestionDto[];
  @ApiProperty({ description: 'Open questions assigned to you (the count on the home page and in the header)' }) openCount!: number;
  @ApiProperty({ description: 'Whether this business may ask the firm questions (Questions for Us)' }) canAsk!: boolean;
}

export class AnswerDto {
  @ApiPropertyOptional({ maxLength: MESSAGE_MAX })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(MESSAGE_MAX)
  body?: string;

  @ApiPropertyOptional({ description: 'One of the offered categories' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  categoryId?: string;

  @ApiPropertyOptional({ type: [String], description: 'Attachments uploaded to this question and not yet sent (at most 10)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'each attachment id must be a UUID' })
  attachmentIds?: string[];
}

export class ReassignDto {
  @ApiProperty({ format: 'uuid', description: 'Another person at the same business' })
  @IsUUID('all', { message: 'contactId must be a UUID' })
  contactId!: string;
}

export class AskFirmDto {
  @ApiProperty({ maxLength: QUESTION_TEXT_MAX, example: 'Can we expense the new laptop this year?' })
  @Transform(trimmed)
  @IsString()
  @MinLength(1, { message: 'text must not be empty' })
  @MaxLength(QUESTION_TEXT_MAX)
  text!: string;
}

export class ApplyDto {
  @ApiPropertyOptional({ description: "The account to post to (default: the client's pick)" })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  accountId?: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'QuickBooks class or Xero tracking option for the line; null removes it; absent leaves it' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  classId?: string | null;
}

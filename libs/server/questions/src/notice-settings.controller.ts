import { Body, Controller, Get, Header, HttpCode, HttpStatus, Inject, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsBoolean, IsIn, IsString, MaxLength } from 'class-validator';
import type { DataSource } from 'typeorm';
import { CurrentScope, Staff } from '@ledgerport/server/access';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import { escapeHtml } from '@ledgerport/server/notifications';
import type { FirmScope } from '@ledgerport/server/db';
import { Contact, CurrentContact, type ContactPrincipal } from '@ledgerport/server/portal';
import { contactOfReminderToken } from './question-notices';

export class ContactNoticeSettingsDto {
  @ApiProperty({ enum: ['immediately', 'daily', 'weekly'], description: 'New questions: one email for questions asked close together, or a daily or weekly summary' })
  @IsIn(['immediately', 'daily', 'weekly'], { message: 'questionEmails must be immediately, daily or weekly' })
  questionEmails!: 'immediately' | 'daily' | 'weekly';

  @ApiProperty({ description: 'Reminders of questions still waiting for an answer' })
  @IsBoolean({ message: 'reminders must be true or false' })
  reminders!: boolean;
}

export class StaffNoticeSettingsDto {
  @ApiProperty({ enum: ['immediately', 'daily', 'off'], description: 'When a client answers a question you follow up' })
  @IsIn(['immediately', 'daily', 'off'], { message: 'answerEmails must be immediately, daily or off' })
  answerEmails!: 'immediately' | 'daily' | 'off';
}

export class ReminderTokenDto {
  @IsString()
  @MaxLength(200)
  t!: string;
}

@ApiTags('portal')
@Contact()
@Controller('api/v1/portal/notification-settings')
export class ContactNoticeSettingsController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'How often you hear from us about questions (Q9)' })
  @ApiOkResponse({ type: ContactNoticeSettingsDto })
  async get(@CurrentContact() p: ContactPrincipal): Promise<ContactNoticeSettingsDto> {
    const [row]: { question_emails: ContactNoticeSettingsDto['questionEmails']; question_reminders: boolean }[] = await this.db.query(
      `SELECT question_emails, question_reminders FROM contacts WHERE id = $1`,
      [p.contact.id],
    );
    return { questionEmails: row.question_emails, reminders: row.question_reminders };
  }

  @Put()
  @ApiOperation({ summary: 'Change how often you hear from us about questions' })
  @ApiOkResponse({ type: ContactNoticeSettingsDto })
  async put(@CurrentContact() p: ContactPrincipal, @Body() dto: ContactNoticeSettingsDto): Promise<ContactNoticeSettingsDto> {
    await this.db.query(`UPDATE contacts SET question_emails = $2, question_reminders = $3, updated_at = now() WHERE id = $1`, [p.contact.id, dto.questionEmails, dto.reminders]);
    return this.get(p);
  }
}

@ApiTags('auth')
@Staff()
@Controller('api/v1/account/notification-settings')
export class StaffNoticeSettingsController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'When you hear about answers to the questions you follow up (Q9)' })
  @ApiOkResponse({ type: StaffNoticeSettingsDto })
  async get(@CurrentScope() scope: FirmScope): Promise<StaffNoticeSettingsDto> {
    const [row]: { answer_emails: StaffNoticeSettingsDto['answerEmails'] }[] = await this.db.query(`SELECT answer_emails FROM users WHERE id = $1`, [scope.userId]);
    return { answerEmails: row.answer_emails };
  }

  @Put()
  @ApiOperation({ summary: 'Change when you hear about answers' })
  @ApiOkResponse({ type: StaffNoticeSettingsDto })
  async put(@CurrentScope() scope: FirmScope, @Body() dto: StaffNoticeSettingsDto): Promise<StaffNoticeSettingsDto> {
    await this.db.query(`UPDATE users SET answer_emails = $2, updated_at = now() WHERE id = $1`, [scope.userId, dto.answerEmails]);
    return this.get(scope);
  }
}

const esc = escapeHtml;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1f2933}button{font:inherit;padding:.6rem 1rem;border-radius:6px;border:1px solid #1f7469;background:#fff;color:#1f7469;cursor:pointer}</style>
</head><body>${body}</body></html>`;
}

/**
 * The one-click "no more reminders" link of every reminder email (Q9). The link itself is the
 * authority: an HMAC of the person, so nothing is stored and nothing else can be done with it.
 */
@ApiTags('portal')
@Controller('api/v1/email/question-reminders')
export class ReminderLinkController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('stop')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'One click from a reminder email: no more reminders (a page that says so, with a way back)' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'An HTML page', type: String })
  async stop(@Query() q: ReminderTokenDto): Promise<string> {
    return this.set(q.t, false);
  }

  @Post('start')
  @HttpCode(HttpStatus.OK)
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Turn reminders back on (the button on the page above)' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'An HTML page', type: String })
  async start(@Body() q: ReminderTokenDto): Promise<string> {
    return this.set(q.t, true);
  }

  private async set(token: string, on: boolean): Promise<string> {
    const contactId = contactOfReminderToken(this.config.SESSION_SECRET, token);
    if (!contactId) {
      return page('Link not valid', `<h1>This link is not valid</h1><p role="alert">Open the link from the reminder email again, or change your email settings in the portal.</p>`);
    }
    await this.db.query(`UPDATE contacts SET question_reminders = $2, updated_at = now() WHERE id = $1`, [contactId, on]);
    return on
      ? page('Reminders on', `<h1>Reminders are on again</h1><p role="status">We will remind you of questions still waiting for your answer.</p>`)
      : page(
          'No more reminders',
          `<h1>No more reminders</h1><p role="status">We will not remind you of unanswered questions any more. You will still hear about new questions.</p>
<form method="post" action="start"><input type="hidden" name="t" value="${esc(token)}"><button type="submit">Turn reminders back on</button></form>`,
        );
  }
}


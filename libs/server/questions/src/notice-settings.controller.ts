import { Body, Controller, Get, Header, HttpCode, HttpStatus, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsString, MaxLength } from 'class-validator';
import { CurrentScope, Staff } from '@ledgerport/server/access';
import { escapeHtml } from '@ledgerport/server/notifications';
import type { FirmScope } from '@ledgerport/server/db';
import { Contact, CurrentContact, type ContactPrincipal } from '@ledgerport/server/portal';
import {
  ANSWER_EMAILS,
  NoticeSettingsService,
  QUESTION_EMAILS,
  type AnswerEmails,
  type QuestionEmails,
  type ReminderLinkResult,
} from './notice-settings.service';

export class ContactNoticeSettingsDto {
  @ApiProperty({ enum: [...QUESTION_EMAILS], description: 'New questions: one email for questions asked close together, or a daily or weekly summary' })
  @IsIn(QUESTION_EMAILS, { message: 'questionEmails must be immediately, daily or weekly' })
  questionEmails!: QuestionEmails;

  @ApiProperty({ description: 'Reminders of questions still waiting for an answer' })
  @IsBoolean({ message: 'reminders must be true or false' })
  reminders!: boolean;
}

export class StaffNoticeSettingsDto {
  @ApiProperty({ enum: [...ANSWER_EMAILS], description: 'When a client answers a question you follow up' })
  @IsIn(ANSWER_EMAILS, { message: 'answerEmails must be immediately, daily or off' })
  answerEmails!: AnswerEmails;
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
  constructor(private readonly settings: NoticeSettingsService) {}

  @Get()
  @ApiOperation({ summary: 'How often you hear from us about questions (Q9)' })
  @ApiOkResponse({ type: ContactNoticeSettingsDto })
  get(@CurrentContact() p: ContactPrincipal): Promise<ContactNoticeSettingsDto> {
    return this.settings.contactSettings(p.contact.id);
  }

  @Put()
  @ApiOperation({ summary: 'Change how often you hear from us about questions' })
  @ApiOkResponse({ type: ContactNoticeSettingsDto })
  put(@CurrentContact() p: ContactPrincipal, @Body() dto: ContactNoticeSettingsDto): Promise<ContactNoticeSettingsDto> {
    return this.settings.setContactSettings(p.contact.id, dto);
  }
}

@ApiTags('auth')
@Staff()
@Controller('api/v1/account/notification-settings')
export class StaffNoticeSettingsController {
  constructor(private readonly settings: NoticeSettingsService) {}

  @Get()
  @ApiOperation({ summary: 'When you hear about answers to the questions you follow up (Q9)' })
  @ApiOkResponse({ type: StaffNoticeSettingsDto })
  get(@CurrentScope() scope: FirmScope): Promise<StaffNoticeSettingsDto> {
    return this.settings.staffSettings(scope);
  }

  @Put()
  @ApiOperation({ summary: 'Change when you hear about answers' })
  @ApiOkResponse({ type: StaffNoticeSettingsDto })
  put(@CurrentScope() scope: FirmScope, @Body() dto: StaffNoticeSettingsDto): Promise<StaffNoticeSettingsDto> {
    return this.settings.setStaffSettings(scope, dto);
  }
}

/**
 * The one-click "no more reminders" link of every reminder email (Q9). The link itself is the
 * authority: an HMAC of the person, so nothing is stored and nothing else can be done with it.
 */
@ApiTags('portal')
@Controller('api/v1/email/question-reminders')
export class ReminderLinkController {
  constructor(private readonly settings: NoticeSettingsService) {}

  @Get('stop')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'One click from a reminder email: no more reminders (a page that says so, with a way back)' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'An HTML page', type: String })
  async stop(@Query() q: ReminderTokenDto): Promise<string> {
    return reminderPage(await this.settings.setRemindersByLink(q.t, false), q.t);
  }

  @Post('start')
  @HttpCode(HttpStatus.OK)
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Turn reminders back on (the button on the page above)' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'An HTML page', type: String })
  async start(@Body() q: ReminderTokenDto): Promise<string> {
    return reminderPage(await this.settings.setRemindersByLink(q.t, true), q.t);
  }
}

const esc = escapeHtml;

/** The page a reminder link opens: what changed, the way back, and the person's email settings. */
function reminderPage(result: ReminderLinkResult, token: string): string {
  if (!result.valid) {
    return page('Link not valid', `<h1>This link is not valid</h1><p role="alert">Open the link from the reminder email again, or change your email settings in the portal.</p>`);
  }
  const settings = result.settingsUrl
    ? `<p class="more"><a href="${esc(result.settingsUrl)}">Choose how often we email you about questions</a></p>`
    : '';
  return result.on
    ? page('Reminders on', `<h1>Reminders are on again</h1><p role="status">We will remind you of questions still waiting for your answer.</p>${settings}`)
    : page(
        'No more reminders',
        `<h1>No more reminders</h1><p role="status">We will not remind you of unanswered questions any more. You will still hear about new questions.</p>
<form method="post" action="start"><input type="hidden" name="t" value="${esc(token)}"><button type="submit">Turn reminders back on</button></form>${settings}`,
      );
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1f2933}button{font:inherit;padding:.6rem 1rem;border-radius:6px;border:1px solid #1f7469;background:#fff;color:#1f7469;cursor:pointer}a{color:#1f7469}.more{margin-top:1.5rem}</style>
</head><body>${body}</body></html>`;
}

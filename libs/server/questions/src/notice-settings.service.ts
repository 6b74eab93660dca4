import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import type { FirmScope } from '@ledgerport/server/db';
import { portalUrl } from '@ledgerport/server/portal';
import { contactOfReminderToken } from './question-notices';

/** How often a client's person hears about new questions (Q9). */
export const QUESTION_EMAILS = ['immediately', 'daily', 'weekly'] as const;
export type QuestionEmails = (typeof QUESTION_EMAILS)[number];

/** When a staff member hears that a client answered a question they follow up (Q9). */
export const ANSWER_EMAILS = ['immediately', 'daily', 'off'] as const;
export type AnswerEmails = (typeof ANSWER_EMAILS)[number];

export interface ContactNoticeSettings {
  questionEmails: QuestionEmails;
  reminders: boolean;
}

export interface StaffNoticeSettings {
  answerEmails: AnswerEmails;
}

/** What a one-click reminder link did: nothing (a link not made here), or turned reminders on or off. */
export type ReminderLinkResult =
  | { valid: false }
  | {
      valid: true;
      on: boolean;
      /** The email settings page of the portal the person uses (null when they have no business left). */
      settingsUrl: string | null;
    };

/**
 * Who hears about questions and how often (Q9): a contact's own settings, a staff member's own
 * settings, and the one-click reminder link of the emails. Everyone changes only their own row.
 */
@Injectable()
export class NoticeSettingsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async contactSettings(contactId: string): Promise<ContactNoticeSettings> {
    const [row]: { question_emails: QuestionEmails; question_reminders: boolean }[] = await this.db.query(
      `SELECT question_emails, question_reminders FROM contacts WHERE id = $1`,
      [contactId],
    );
    return { questionEmails: row.question_emails, reminders: row.question_reminders };
  }

  async setContactSettings(contactId: string, settings: ContactNoticeSettings): Promise<ContactNoticeSettings> {
    await this.db.query(`UPDATE contacts SET question_emails = $2, question_reminders = $3, updated_at = now() WHERE id = $1`, [
      contactId,
      settings.questionEmails,
      settings.reminders,
    ]);
    return this.contactSettings(contactId);
  }

  async staffSettings(scope: FirmScope): Promise<StaffNoticeSettings> {
    const [row]: { answer_emails: AnswerEmails }[] = await this.db.query(`SELECT answer_emails FROM users WHERE id = $1 AND firm_id = $2`, [
      scope.userId,
      scope.firmId,
    ]);
    return { answerEmails: row.answer_emails };
  }

  async setStaffSettings(scope: FirmScope, settings: StaffNoticeSettings): Promise<StaffNoticeSettings> {
    await this.db.query(`UPDATE users SET answer_emails = $3, updated_at = now() WHERE id = $1 AND firm_id = $2`, [
      scope.userId,
      scope.firmId,
      settings.answerEmails,
    ]);
    return this.staffSettings(scope);
  }

  /**
   * Turns the reminders of the person a reminder link names on or off. The link itself is the
   * authority (an HMAC of the person): a token not made here changes nothing.
   */
  async setRemindersByLink(token: string, on: boolean): Promise<ReminderLinkResult> {
    const contactId = contactOfReminderToken(this.config.SESSION_SECRET, token);
    if (!contactId) return { valid: false };
    await this.db.query(`UPDATE contacts SET question_reminders = $2, updated_at = now() WHERE id = $1`, [contactId, on]);
    return { valid: true, on, settingsUrl: await this.portalSettingsUrl(contactId) };
  }

  /** The email settings page in the portal of the business the person last chose (else the first by name). */
  private async portalSettingsUrl(contactId: string): Promise<string | null> {
    const [row]: { slug: string }[] = await this.db.query(
      `SELECT f.slug
         FROM contacts k
         JOIN client_contacts cc ON cc.contact_id = k.id AND cc.status <> 'deactivated'
         JOIN clients c ON c.id = cc.client_id AND c.status = 'active'
         JOIN firms f ON f.id = c.firm_id AND f.status = 'approved'
        WHERE k.id = $1
        ORDER BY (c.id = k.last_client_id) DESC NULLS LAST, c.name
        LIMIT 1`,
      [contactId],
    );
    return row ? portalUrl(this.config.APP_URL, row.slug, '/settings/email') : null;
  }
}

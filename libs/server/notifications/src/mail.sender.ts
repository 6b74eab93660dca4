import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createTransport, type Transporter } from 'nodemailer';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';

interface EmailRow {
  id: string;
  to_address: string;
  subject: string;
  text_body: string | null;
  html_body: string | null;
  status: string;
}

export type SendResult = 'sent' | 'outbox' | 'skipped';

/**
 * Delivers one staged email: over SMTP when SMTP_URL is set, otherwise (development and tests)
 * it stays readable in the dev outbox. After SMTP delivery the bodies are cleared, so sign-in
 * links do not linger in the database.
 */
@Injectable()
export class MailSender implements OnModuleDestroy {
  private readonly logger = new Logger(MailSender.name);
  private readonly transport: Transporter | null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
  ) {
    this.transport = config.SMTP_URL ? createTransport(config.SMTP_URL) : null;
  }

  async send(emailId: string): Promise<SendResult> {
    // TypeORM answers UPDATE … RETURNING with [rows, affectedCount].
    const [rows]: [EmailRow[], number] = await this.db.query(
      `UPDATE outbound_emails SET attempts = attempts + 1 WHERE id = $1 RETURNING *`,
      [emailId],
    );
    const email = rows[0];
    if (!email || email.status === 'sent' || email.status === 'outbox') return 'skipped';
    if (!this.transport) {
      await this.db.query(`UPDATE outbound_emails SET status = 'outbox', sent_at = now() WHERE id = $1`, [emailId]);
      this.logger.log({ emailId, to: email.to_address }, 'Email kept in the development outbox (SMTP_URL is not set)');
      return 'outbox';
    }
    try {
      await this.transport.sendMail({
        from: this.config.MAIL_FROM,
        to: email.to_address,
        subject: email.subject,
        text: email.text_body ?? '',
        html: email.html_body ?? undefined,
      });
    } catch (err) {
      await this.db.query(`UPDATE outbound_emails SET last_error = $2 WHERE id = $1`, [emailId, String((err as Error).message).slice(0, 500)]);
      throw err;
    }
    await this.db.query(
      `UPDATE outbound_emails SET status = 'sent', sent_at = now(), text_body = NULL, html_body = NULL, last_error = NULL WHERE id = $1`,
      [emailId],
    );
    this.logger.log({ emailId }, 'Email sent');
    return 'sent';
  }

  async markFailed(emailId: string, error: string): Promise<void> {
    await this.db.query(`UPDATE outbound_emails SET status = 'failed', last_error = $2 WHERE id = $1 AND status = 'queued'`, [
      emailId,
      error.slice(0, 500),
    ]);
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { JobName, QueueName, type SendEmailPayload } from '@ledgerport/server/jobs';
import type { RenderedEmail } from './templates/layout';

export interface QueuedEmail {
  id: string;
}

/**
 * Puts mail on the queue. The message is written to `outbound_emails` inside the caller's
 * transaction (so a rolled-back change sends nothing), and the job is added after the commit.
 */
/** Deterministic job id: enqueueing the same email twice sends it once. */
export const sendEmailJob = (emailId: string) => ({
  name: JobName.SEND_EMAIL,
  data: { emailId },
  opts: { jobId: `email-${emailId}` },
});

@Injectable()
export class MailService {
  private readonly logger = new Logger(MailService.name);

  constructor(
    @InjectQueue(QueueName.MAIL) private readonly queue: Queue<SendEmailPayload>,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async stage(manager: EntityManager, firmId: string | null, to: string, email: RenderedEmail): Promise<QueuedEmail> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO outbound_emails (firm_id, to_address, subject, text_body, html_body)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [firmId, to, email.subject, email.text, email.html],
    );
    return { id: rows[0].id };
  }

  /** Stages several emails of one firm in one statement (e.g. one per admin). */
  async stageMany(manager: EntityManager, firmId: string | null, messages: { to: string; email: RenderedEmail }[]): Promise<QueuedEmail[]> {
    if (!messages.length) return [];
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO outbound_emails (firm_id, to_address, subject, text_body, html_body)
       SELECT $1, m.to_address, m.subject, m.text_body, m.html_body
         FROM jsonb_to_recordset($2::jsonb) AS m(to_address text, subject text, text_body text, html_body text)
       RETURNING id`,
      [firmId, JSON.stringify(messages.map((x) => ({ to_address: x.to, subject: x.email.subject, text_body: x.email.text, html_body: x.email.html })))],
    );
    return rows.map((r) => ({ id: r.id }));
  }

  /** The development outbox, newest first (the controller refuses when SMTP is configured). */
  async outbox(to?: string) {
    const rows: { id: string; to_address: string; subject: string; text_body: string | null; html_body: string | null; status: string; created_at: Date }[] =
      await this.db.query(
        `SELECT id, to_address, subject, text_body, html_body, status, created_at FROM outbound_emails
          WHERE ($1::text IS NULL OR to_address = lower($1)) ORDER BY created_at DESC LIMIT 100`,
        [to ?? null],
      );
    return rows.map((r) => ({
      id: r.id,
      to: r.to_address,
      subject: r.subject,
      text: r.text_body ?? '',
      html: r.html_body ?? '',
      status: r.status,
      createdAt: r.created_at.toISOString(),
    }));
  }

  /**
   * Call after the transaction that staged the emails has committed. If Redis is unreachable the
   * change still stands: the rows stay `queued` and the worker's sweep enqueues them later.
   */
  async dispatch(...emails: QueuedEmail[]): Promise<void> {
    if (!emails.length) return;
    try {
      await this.queue.addBulk(emails.map((e) => sendEmailJob(e.id)));
    } catch (err) {
      this.logger.warn({ err: (err as Error).message, emails: emails.length }, 'Could not enqueue email now; the worker sweep will send it');
    }
  }
}


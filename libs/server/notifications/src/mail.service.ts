import { Injectable, Logger } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { EntityManager } from 'typeorm';
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

  constructor(@InjectQueue(QueueName.MAIL) private readonly queue: Queue<SendEmailPayload>) {}

  async stage(manager: EntityManager, firmId: string | null, to: string, email: RenderedEmail): Promise<QueuedEmail> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO outbound_emails (firm_id, to_address, subject, text_body, html_body)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [firmId, to, email.subject, email.text, email.html],
    );
    return { id: rows[0].id };
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


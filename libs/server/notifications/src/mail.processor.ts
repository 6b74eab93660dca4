import { Processor, WorkerHost, OnWorkerEvent } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobName, QueueName, type SendEmailPayload } from '@ledgerport/server/jobs';
import { MailSender, type SendResult } from './mail.sender';

/** Worker: delivers queued email. Retries with exponential back-off (see the queue defaults). */
@Processor(QueueName.MAIL, { concurrency: 5 })
export class MailProcessor extends WorkerHost {
  static readonly handles = [JobName.SEND_EMAIL] as const;
  private readonly logger = new Logger(MailProcessor.name);

  constructor(private readonly sender: MailSender) {
    super();
  }

  async process(job: Job<SendEmailPayload>): Promise<SendResult> {
    switch (job.name) {
      case JobName.SEND_EMAIL:
        return this.sender.send(job.data.emailId);
      default:
        throw new Error(`The mail queue has no handler for job "${job.name}"`);
    }
  }

  @OnWorkerEvent('failed')
  async onFailed(job: Job<SendEmailPayload> | undefined, err: Error): Promise<void> {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    this.logger.warn({ emailId: job.data.emailId, attempt: job.attemptsMade, final, err: err.message }, 'Email delivery failed');
    if (final) await this.sender.markFailed(job.data.emailId, err.message);
  }
}

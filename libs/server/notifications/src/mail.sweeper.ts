import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { QueueName, type SendEmailPayload } from '@ledgerport/server/jobs';
import { sendEmailJob } from './mail.service';

/**
 * Worker: every minute, enqueues email rows still `queued` after a minute (the API could not
 * reach Redis when it committed them). Job ids are deterministic, so nothing is sent twice.
 */
@Injectable()
export class MailSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MailSweeper.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.MAIL) private readonly queue: Queue<SendEmailPayload>,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep().catch((err) => this.logger.warn({ err }, 'Mail sweep failed')), 60_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(olderThanSeconds = 60): Promise<number> {
    const rows: { id: string }[] = await this.db.query(
      `SELECT id FROM outbound_emails WHERE status = 'queued' AND created_at < now() - make_interval(secs => $1) LIMIT 500`,
      [olderThanSeconds],
    );
    if (rows.length) await this.queue.addBulk(rows.map((r) => sendEmailJob(r.id)));
    return rows.length;
  }
}

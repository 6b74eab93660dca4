import { Module } from '@nestjs/common';
import { MailProcessor } from './mail.processor';
import { MailSender } from './mail.sender';
import { MailSweeper } from './mail.sweeper';

/** Worker side of mail: the queue processor, delivering over SMTP or into the development outbox. */
@Module({ providers: [MailSender, MailProcessor, MailSweeper], exports: [MailSender, MailSweeper] })
export class MailSenderModule {}

import { Module } from '@nestjs/common';
import { MailProcessor } from './mail.processor';
import { MailSender } from './mail.sender';

/** Worker side of mail: the queue processor, delivering over SMTP or into the development outbox. */
@Module({ providers: [MailSender, MailProcessor], exports: [MailSender] })
export class MailSenderModule {}

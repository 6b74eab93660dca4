import { Module } from '@nestjs/common';
import { DevOutboxController } from './dev-outbox.controller';
import { MailService } from './mail.service';

/** API side of mail: staging and queueing, and the development outbox. */
@Module({
  controllers: [DevOutboxController],
  providers: [MailService],
  exports: [MailService],
})
export class NotificationsModule {}

import { Module } from '@nestjs/common';
import { ClientsModule } from '@ledgerport/server/clients';
import { PortalModule } from '@ledgerport/server/portal';
import { StorageModule } from '@ledgerport/server/storage';
import { AttachmentsService } from './attachments.service';
import { ContactNoticeSettingsController, ReminderLinkController, StaffNoticeSettingsController } from './notice-settings.controller';
import { NoticeSettingsService } from './notice-settings.service';
import { PortalQuestionsController, QuestionsController } from './questions.controller';
import { PortalQuestionsService } from './portal-questions.service';
import { QuestionListCache } from './question-list-cache';
import { QuestionsService } from './questions.service';

/** Questions between the firm and its clients' people (Q1–Q10), for the console and the portal. */
@Module({
  imports: [ClientsModule, PortalModule, StorageModule],
  controllers: [QuestionsController, PortalQuestionsController, ContactNoticeSettingsController, StaffNoticeSettingsController, ReminderLinkController],
  providers: [QuestionsService, PortalQuestionsService, AttachmentsService, NoticeSettingsService, QuestionListCache],
  exports: [QuestionsService],
})
export class QuestionsModule {}

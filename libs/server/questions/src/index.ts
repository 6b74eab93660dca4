export * from './questions.module';
export * from './questions.service';
export * from './portal-questions.service';
export * from './questions.errors';
export * from './question-events';
export * from './dto/questions.dto';
export * from './apply.processor';
export * from './attachments.service';

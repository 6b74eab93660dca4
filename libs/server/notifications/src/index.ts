export * from './mail.service';
export * from './mail.sender';
export * from './notifications.module';
export * from './mail-sender.module';
export * from './templates/layout';
export * from './templates/emails';
export * from './mail.processor';
export * from './mail.sweeper';

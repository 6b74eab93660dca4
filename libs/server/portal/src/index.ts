export * from './portal.module';
export * from './portal.errors';
export * from './contact-session.store';
export * from './contrast';
export * from './contact.guard';

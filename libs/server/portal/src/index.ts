export * from './portal.module';
export * from './portal.errors';
export * from './contact-session.store';
export * from './contrast';
export * from './contact.guard';
export * from './contact-tokens.service';
export * from './brand';

export * from './clients.module';
export * from './clients.service';
export * from './clients.repository';
export * from './clients.errors';

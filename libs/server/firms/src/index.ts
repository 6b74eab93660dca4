export * from './firms.module';
export * from './firms.service';
export * from './firms.errors';
export * from './slug';
export * from './logo';

export * from './sync-worker.module';
export * from './sync-engine';
export * from './sync.processor';
export * from './sync-scheduler';
export * from './transaction-writer';

export * from './connections.module';
export * from './connection-tokens.service';
export * from './ledger-registry';
export * from './connections.errors';
export * from './company-details';
export * from './ledger-access.module';

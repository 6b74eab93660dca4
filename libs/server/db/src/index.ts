export * from './data-source';
export * from './db.module';
export * from './scope';
export * from './migrations';
export * from './prepared';
export * from './ledger-sql';

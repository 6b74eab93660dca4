export * from './ledger-provider';

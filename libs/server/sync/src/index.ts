export * from './rate-limiter';
export * from './sync-requests.service';
export * from './sync.module';
export * from './sync.service';
export * from './dto/sync.dto';
export * from './queue-dashboard';
export * from './ledger-limits';
export { questionReference } from './transactions.service';

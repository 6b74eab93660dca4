export * from './activity.service';
export * from './audit.module';

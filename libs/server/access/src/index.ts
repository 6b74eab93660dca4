export * from './tokens';
export * from './session.store';
export * from './staff.guard';
export * from './decorators';
export * from './error-response.dto';
export * from './pagination.dto';
export * from './access.module';
export * from './uuid.pipe';

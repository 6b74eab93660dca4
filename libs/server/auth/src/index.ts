export * from './auth.errors';
export * from './auth.module';
export * from './password-hasher';
export * from './password-tokens.service';
export * from './login-throttle';
export * from './auth.service';

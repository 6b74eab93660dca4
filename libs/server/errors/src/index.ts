export * from './app.exception';
export * from './app-exception.filter';
export * from './validation';

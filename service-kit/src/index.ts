export * from './auth';
export * from './config';
export * from './errors';
export * from './events';
export * from './logging';
export * from './ids';
export * from './lifecycle';

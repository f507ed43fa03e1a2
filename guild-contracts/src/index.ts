export * from './permissions';
export * from './events';

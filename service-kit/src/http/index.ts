// Koa pieces both services' HTTP layers share: `@echopulse/service-kit/http`.
export * from './docs';
export * from './errors';
export * from './health';
export * from './json-body';
export * from './nul-guard';
export * from './request-id';
export * from './tsoa-auth';
export * from './service-app';

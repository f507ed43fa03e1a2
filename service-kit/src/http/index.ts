// Koa pieces both services' HTTP layers share: `@echopulse/service-kit/http`.
export * from './docs';
export * from './errors';
export * from './health';
export * from './json-body';
export * from './json-depth';
export * from './nul-guard';
export * from './request-id';
export * from './security-headers';
export * from './tsoa-auth';
export * from './service-app';

/**
 * What other workspaces' tests may use of server-service (exported as
 * `@echopulse/server-service/testing`, resolved to these sources by jest and the type check):
 * the app in-process over the real servers, a REST client for the dev users, factories, and the
 * pieces a cross-service test wires itself (the outbox relay, the database and config readers).
 * Not part of the production build.
 */
export { ApiClient, loginAll } from './api-client';
export type { ApiResponse, Json, User } from './api-client';
export { createGuild, grantRole, join, uniqueName } from './factories';
export type { GuildFixture } from './factories';
export { migratedDataSource, startTestApp, testDatabaseOptions } from './test-app';
export type { TestApp, TestAppOptions } from './test-app';
export { OutboxRelay } from '../outbox';
export { pgClientConfig } from '../db/data-source';
export { configKeys, readConfig } from '../config';

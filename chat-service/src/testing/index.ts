/**
 * What other workspaces' tests may use of chat-service (exported as
 * `@echopulse/chat-service/testing`, resolved to these sources by jest and the type check): its
 * projection and access checks to wire over a topic of the test's own, a migrated schema per
 * suite, ids and events for STOMP tests, and the config reader. Not part of the production build.
 */
export {
  dropSchema,
  eventually,
  migratedDataSource,
  projectionState,
  testDatabaseOptions,
} from './projection-fixtures';
export { guildWithChannels, newId, subOf } from './chat-fixtures';
export type { Participant } from './chat-fixtures';
export { AccessChangeListener, AccessRepository, AccessService } from '../access';
export type { AccessChange } from '../access';
export { createProjection, rebuildProjection } from '../projection';
export type { HandledRecord, Projection } from '../projection';
export { pgClientConfig } from '../db/data-source';
export { configKeys, readConfig } from '../config';
export type { ChatMessage } from '@echopulse/chat-contracts';

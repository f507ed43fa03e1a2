export type { AccessChange, ChannelAccess, ChannelGrant } from './channel-access';
export { AccessService, type AccessServiceOptions } from './access.service';
export {
  AccessRepository,
  type AccessStore,
  type ChannelFacts,
  type GuildFacts,
} from './access.repository';
export {
  AccessChangeListener,
  ACCESS_CHANGES_CHANNEL,
  parseAccessChange,
  type AccessChangeListenerOptions,
} from './access-changes';

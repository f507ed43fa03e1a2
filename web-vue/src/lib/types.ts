// Wire types. Ids are strings: snowflakes exceed 2^53.
//
// REST: named aliases of the schemas that openapi-typescript generates from the services' specs
// (src/generated, from openapi/server-service.json and openapi/chat-service.json; regenerate with
// `npm run generate:types -w web-vue`). Where these disagree with what the app expected, the spec
// is right: change the service (and its spec), never these.
//
// STOMP: re-exported from @echopulse/chat-contracts, which chat-service uses too.
import type { MessageWithReactions as MessageWithReactionsType } from '@echopulse/chat-contracts';
import type { components as ChatComponents } from '../generated/chat-service';
import type { components as ServerComponents } from '../generated/server-service';

type ServerSchemas = ServerComponents['schemas'];
type ChatSchemas = ChatComponents['schemas'];

// server-service
export type ProblemDocument = ServerSchemas['ProblemDocument'];
export type CurrentUser = ServerSchemas['CurrentUser'];
export type Guild = ServerSchemas['Guild'];
export type GuildPage = ServerSchemas['GuildPage'];
export type Role = ServerSchemas['Role'];
export type Member = ServerSchemas['Member'];
export type MemberPage = ServerSchemas['MemberPage'];
export type Ban = ServerSchemas['Ban'];
export type BanPage = ServerSchemas['BanPage'];
export type Overwrite = ServerSchemas['Overwrite'];
export type Channel = ServerSchemas['Channel'];
export type EffectivePermissions = ServerSchemas['EffectivePermissions'];
export type Invite = ServerSchemas['Invite'];
export type InvitePreview = ServerSchemas['InvitePreview'];
export type CreateGuildBody = ServerSchemas['CreateGuildBody'];
export type UpdateGuildBody = ServerSchemas['UpdateGuildBody'];
export type CreateRoleBody = ServerSchemas['CreateRoleBody'];
export type UpdateRoleBody = ServerSchemas['UpdateRoleBody'];
export type UpdateMemberBody = ServerSchemas['UpdateMemberBody'];
export type CreateChannelBody = ServerSchemas['CreateChannelBody'];
export type UpdateChannelBody = ServerSchemas['UpdateChannelBody'];
export type PutOverwriteBody = ServerSchemas['PutOverwriteBody'];
export type CreateInviteBody = ServerSchemas['CreateInviteBody'];
export type PutBanBody = ServerSchemas['PutBanBody'];

// chat-service
export type ReadState = ChatSchemas['ReadStateView'];
export type Presence = ChatSchemas['PresenceView'];
export type PresenceStatus = Presence['status'];
/** A message as `GET /channels/{id}/messages` answers it (a live one is a `ChatMessage`). */
export type HistoryMessage = ChatSchemas['HistoryMessageView'];

// STOMP payloads: @echopulse/chat-contracts, the one package chat-service builds its frames with
// (openapi/chat.asyncapi.yaml, chat-service/README.md "STOMP contract").
export type {
  ChatMessage,
  DeliveredMessage,
  GuildEvent,
  GuildEventsFrame,
  GuildReady,
  MessageWithReactions,
  Notice,
  PresenceEvent,
  ReactionChange,
  ReactionCleared,
  ReactionCount,
  TypingEvent,
} from '@echopulse/chat-contracts';
export type { MessageEventType as MessageEvent } from '@echopulse/chat-contracts';

// A history message (REST, tsoa's HistoryMessageView) is the STOMP message with its reactions:
// the two specs must keep saying the same thing, or this fails to compile.
// identical types (optional keys included), not merely assignable both ways
type Exact<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const historyIsMessageWithReactions: Exact<HistoryMessage, MessageWithReactionsType> = true;
void historyIsMessageWithReactions;

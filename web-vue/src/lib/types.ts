// Wire types of server-service (openapi/server-service.json) and chat-service
// (openapi/chat.asyncapi.yaml, chat-service/README.md "STOMP contract"). Ids are strings: snowflakes exceed 2^53.

export interface CurrentUser {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
}

export interface Guild {
  id: string;
  name: string;
  ownerId: string;
  iconUrl: string | null;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface Role {
  id: string;
  guildId: string;
  name: string;
  color: number;
  position: number;
  permissions: string;
  mentionable: boolean;
}

export interface Member {
  guildId: string;
  userId: string;
  username: string;
  displayName: string;
  nickname: string | null;
  roleIds: string[];
  joinedAt: string;
}

export interface Ban {
  guildId: string;
  userId: string;
  username: string;
  displayName: string;
  reason: string | null;
  bannedBy: string;
  createdAt: string;
}

export interface Overwrite {
  id: string;
  type: 'role' | 'member';
  allow: string;
  deny: string;
}

export interface Channel {
  id: string;
  guildId: string;
  type: 'text' | 'category';
  name: string;
  parentId: string | null;
  position: number;
  topic: string | null;
  slowmodeSeconds: number;
  overwrites: Overwrite[];
}

export interface EffectivePermissions {
  channelId: string;
  permissions: string;
  names: string[];
}

export interface Invite {
  code: string;
  guildId: string;
  inviterId: string;
  maxUses: number;
  uses: number;
  maxAgeSeconds: number;
  expiresAt: string | null;
  revoked: boolean;
  createdAt: string;
}

export interface InvitePreview {
  code: string;
  guild: { id: string; name: string; iconUrl: string | null };
  memberCount: number;
  expiresAt: string | null;
  /** The caller's standing there: a banned user cannot accept, a member need not. */
  viewer: { member: boolean; banned: boolean };
}

export interface ChatMessage {
  id: string;
  seq: number;
  channelId: string;
  guildId: string;
  author: { id: string; username: string };
  content: string;
  mentions: { users: string[]; everyone: boolean };
  createdAt: string;
  editedAt?: string;
  replyTo?: string;
  deletedAt?: string;
}

export type MessageEvent = 'message.created' | 'message.updated' | 'message.deleted';

export interface ReadState {
  channelId: string;
  guildId: string;
  lastReadSeq: number;
  lastSeq: number;
  unreadCount: number;
  mentionCount: number;
}

export type PresenceStatus = 'online' | 'idle' | 'offline';

export interface PresenceEvent {
  userId: string;
  status: PresenceStatus;
}

export interface TypingEvent {
  userId: string;
  username: string;
  channelId: string;
  until: string;
}

export interface Notice {
  type: 'token-expiring' | 'subscription-ended';
  expiresAt?: string;
  destination?: string;
  reason?: string;
}

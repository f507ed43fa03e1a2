import type { Channel, ChatMessage, Guild, Member, Role } from '../lib/types';

export const ALICE = 'user-alice';
export const BOB = 'user-bob';

export function message(seq: number, over: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id: `m${seq}`,
    seq,
    channelId: 'c1',
    guildId: 'g1',
    author: { id: BOB, username: 'bob' },
    content: `message ${seq}`,
    mentions: { users: [], everyone: false },
    createdAt: new Date(Date.UTC(2026, 0, 1, 12, 0, seq)).toISOString(),
    ...over,
  };
}

export function guild(over: Partial<Guild> = {}): Guild {
  return {
    id: 'g1',
    name: 'Guild',
    ownerId: ALICE,
    iconUrl: null,
    createdAt: '2026-01-01T00:00:00Z',
    ...over,
  };
}

export function channel(over: Partial<Channel> = {}): Channel {
  return {
    id: 'c1',
    guildId: 'g1',
    type: 'text',
    name: 'general',
    parentId: null,
    position: 0,
    topic: null,
    slowmodeSeconds: 0,
    overwrites: [],
    ...over,
  };
}

export function member(userId: string, over: Partial<Member> = {}): Member {
  return {
    guildId: 'g1',
    userId,
    username: userId.replace('user-', ''),
    displayName: userId.replace('user-', ''),
    nickname: null,
    roleIds: [],
    joinedAt: '2026-01-01T00:00:00Z',
    ...over,
  };
}

export function role(id: string, permissions: bigint, over: Partial<Role> = {}): Role {
  return {
    id,
    guildId: 'g1',
    name: id,
    color: 0,
    position: 1,
    permissions: permissions.toString(),
    mentionable: false,
    ...over,
  };
}

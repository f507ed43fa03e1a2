import { randomInt } from 'node:crypto';
import { Permissions, serverEvent } from '@echopulse/guild-contracts';

// Ids and events for tests that drive chat-service over STOMP (its own suites and e2e's).

/** The `sub` claim of an access token, without verifying it (the tests' own tokens). */
export const subOf = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string }).sub;

let counter = 0;
/** A fresh snowflake-shaped id. */
export const newId = () =>
  String(
    BigInt(Date.now() - 1767225600000) * 4194304n +
      BigInt(randomInt(1 << 20) * 4 + (counter++ % 4)),
  );

/** Who takes part in a test guild: a Keycloak user's name and id. */
export interface Participant {
  name: string;
  id: string;
}

/** A guild with one text channel where @everyone may view, send and read history. */
export function guildWithChannels(
  owner: Participant,
  members: Participant[],
  channels: { id: string; slowmodeSeconds?: number }[],
) {
  const guildId = newId();
  const now = new Date().toISOString();
  return serverEvent('guild.created', guildId, {
    guild: { id: guildId, name: 'test guild', ownerId: owner.id, iconUrl: null, createdAt: now },
    roles: [
      {
        id: guildId,
        guildId,
        name: '@everyone',
        color: 0,
        position: 0,
        permissions: String(
          Permissions.VIEW_CHANNEL | Permissions.SEND_MESSAGES | Permissions.READ_MESSAGE_HISTORY,
        ),
        mentionable: false,
      },
    ],
    members: [owner, ...members].map((p) => ({
      guildId,
      userId: p.id,
      username: p.name,
      displayName: p.name,
      nickname: null,
      roleIds: [],
      joinedAt: now,
    })),
    channels: channels.map((c, i) => ({
      id: c.id,
      guildId,
      type: 'text' as const,
      name: `channel-${i}`,
      parentId: null,
      position: i,
      topic: null,
      slowmodeSeconds: c.slowmodeSeconds ?? 0,
      overwrites: [],
    })),
  });
}

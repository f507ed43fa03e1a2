import type { ChatMessage, ReactionEvent } from '@echopulse/chat-contracts';
import { Permissions } from '@echopulse/guild-contracts';
import type { Principal } from '@echopulse/service-kit';
import { MemoryReactionStore } from '../../test/fakes/memory-reactions.store';
import type { ChannelGrant } from '../access/channel-access';
import { parseReactionEmoji } from './reaction-emoji';
import { MAX_REACTION_EMOJI, ReactionService } from './reaction.service';

// The rules of reactions (issue #13, Discord's) over an in-memory store; reactions.test.ts plays
// them over REST and STOMP against the real servers.

const { VIEW_CHANNEL, READ_MESSAGE_HISTORY, ADD_REACTIONS, MANAGE_MESSAGES } = Permissions;
const READER = VIEW_CHANNEL | READ_MESSAGE_HISTORY;
const MEMBER = READER | ADD_REACTIONS;

const user = (id: string): Principal => ({
  id,
  username: `${id}-name`,
  displayName: id,
  roles: ['user'],
  expiresAt: new Date(Date.now() + 60_000),
});
const alice = user('alice');
const bob = user('bob');
const carol = user('carol');
const CH = '10';
const message = (id: string, deleted = false): ChatMessage => ({
  id,
  seq: Number(id),
  channelId: CH,
  guildId: '1',
  author: { id: 'alice', username: 'alice' },
  content: deleted ? '' : 'hi',
  mentions: { users: [], everyone: false },
  createdAt: '2026-01-01T00:00:00.000Z',
  ...(deleted ? { deletedAt: '2026-01-01T00:00:01.000Z' } : {}),
});

describe('ReactionService', () => {
  let perms: Map<string, bigint>;
  let messages: Map<string, ChatMessage>;
  let store: MemoryReactionStore;
  let events: { channelId: string; event: ReactionEvent }[];
  let service: ReactionService;

  beforeEach(() => {
    perms = new Map([
      ['alice', MEMBER],
      ['bob', MEMBER],
      ['carol', MEMBER],
    ]);
    messages = new Map([
      ['100', message('100')],
      ['101', message('101', true)],
    ]);
    store = new MemoryReactionStore();
    events = [];
    service = new ReactionService(
      {
        channel: async (p, channelId) =>
          channelId === CH && perms.has(p.id)
            ? ({
                guildId: '1',
                channelId,
                slowmodeSeconds: 0,
                permissions: perms.get(p.id)!,
              } satisfies ChannelGrant)
            : undefined,
      },
      async (channelId, id) => (channelId === CH ? messages.get(id) : undefined),
      store,
      (channelId, event) => events.push({ channelId, event }),
    );
  });

  const status = (p: Promise<unknown>) =>
    p.then(
      () => 'ok',
      (e: { status?: number; code?: string }) => `${e.status} ${e.code}`,
    );

  it('adds once per user, counts each user once, and publishes only real changes', async () => {
    await service.add(alice, CH, '100', '👍');
    await service.add(alice, CH, '100', '👍'); // a retry
    await service.add(bob, CH, '100', '👍');
    expect(events.map((e) => [e.event.event, e.event.body])).toEqual([
      ['reaction.added', { messageId: '100', emoji: '👍', userId: 'alice', count: 1 }],
      ['reaction.added', { messageId: '100', emoji: '👍', userId: 'bob', count: 2 }],
    ]);
    await service.remove(alice, CH, '100', '👍');
    await service.remove(alice, CH, '100', '👍');
    expect(events.at(-1)!.event).toEqual({
      event: 'reaction.removed',
      body: { messageId: '100', emoji: '👍', userId: 'alice', count: 1 },
    });
    expect(events).toHaveLength(3);
    const [withReactions] = await service.attach(CH, [message('100')], 'bob');
    expect(withReactions!.reactions).toEqual([{ emoji: '👍', count: 1, me: true }]);
  });

  it('needs ADD_REACTIONS for a new emoji only, as Discord', async () => {
    perms.set('bob', READER);
    expect(await status(service.add(bob, CH, '100', '🎉'))).toBe('403 missing_permission');
    await service.add(alice, CH, '100', '🎉');
    expect(await status(service.add(bob, CH, '100', '🎉'))).toBe('ok');
    expect(
      (await store.users({ channelId: CH, messageId: '100', emoji: '🎉' }, undefined, 10)).map(
        (u) => u.id,
      ),
    ).toEqual(['alice', 'bob']);
  });

  it(`refuses the ${MAX_REACTION_EMOJI + 1}st distinct emoji with 400 max_reactions, not a 20th's joiner`, async () => {
    const emoji = [...'😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙🥲😚🙂🤗'];
    for (const e of emoji.slice(0, MAX_REACTION_EMOJI)) await service.add(alice, CH, '100', e);
    expect(await status(service.add(alice, CH, '100', emoji[MAX_REACTION_EMOJI]!))).toBe(
      '400 max_reactions',
    );
    expect(await status(service.add(bob, CH, '100', emoji[0]!))).toBe('ok');
  });

  it('hides the channel without VIEW_CHANNEL, refuses without READ_MESSAGE_HISTORY', async () => {
    perms.set('bob', READER & ~VIEW_CHANNEL);
    expect(await status(service.add(bob, CH, '100', '👍'))).toBe('404 unknown_channel');
    perms.set('bob', VIEW_CHANNEL | ADD_REACTIONS);
    expect(await status(service.add(bob, CH, '100', '👍'))).toBe('403 missing_permission');
    expect(await status(service.users(bob, CH, '100', '👍', undefined, 25))).toBe(
      '403 missing_permission',
    );
    expect(await status(service.one(bob, CH, '100'))).toBe('403 missing_permission');
  });

  it("takes MANAGE_MESSAGES to remove another's reaction or to clear", async () => {
    await service.add(alice, CH, '100', '👍');
    await service.add(alice, CH, '100', '❤️');
    expect(await status(service.remove(bob, CH, '100', '👍', 'alice'))).toBe(
      '403 missing_permission',
    );
    expect(await status(service.clear(bob, CH, '100'))).toBe('403 missing_permission');
    expect(events).toHaveLength(2);
    perms.set('carol', MEMBER | MANAGE_MESSAGES);
    await service.remove(carol, CH, '100', '👍', 'alice');
    await service.clear(carol, CH, '100');
    expect(events.slice(2).map((e) => e.event)).toEqual([
      {
        event: 'reaction.removed',
        body: { messageId: '100', emoji: '👍', userId: 'alice', count: 0 },
      },
      { event: 'reaction.cleared', body: { messageId: '100' } },
    ]);
    expect((await service.one(alice, CH, '100')).reactions).toEqual([]);
  });

  it('refuses what is not one emoji with 400, and a deleted or unknown message with 404', async () => {
    for (const bad of ['', 'a', '👍👍', '👍 ', ':smile:', 'name:123', '1'])
      expect(await status(service.add(alice, CH, '100', bad))).toBe('400 bad_request');
    expect(await status(service.add(alice, CH, '101', '👍'))).toBe('404 unknown_message');
    expect(await status(service.add(alice, CH, '999', '👍'))).toBe('404 unknown_message');
    expect(store.rows.get(`${CH}/101`)?.size ?? 0).toBe(0);
    expect(events).toEqual([]);
    // GET one message shows a deleted one (seq has no gaps), with no reactions
    expect(await service.one(alice, CH, '101')).toMatchObject({ id: '101', reactions: [] });
  });
});

describe('parseReactionEmoji', () => {
  it.each(['👍', '👍🏽', '🇫🇷', '👨‍👩‍👧‍👦', '❤️', '#️⃣', '🏳️‍🌈', '🧑🏾‍🤝‍🧑🏻'])('takes %s', (e) =>
    expect(parseReactionEmoji(e)).toBe(e),
  );
  it.each(['', 'a', '1', '😀😀', '👍 ', 'x👍', '<:name:123>', '%F0%9F%91%8D'])('refuses %j', (e) =>
    expect(parseReactionEmoji(e)).toBeUndefined(),
  );
});

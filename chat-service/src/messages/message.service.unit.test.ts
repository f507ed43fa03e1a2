import { Permissions } from '@echopulse/guild-contracts';
import { createLogger, SnowflakeGenerator, type Principal } from '@echopulse/service-kit';
import { FrameRejection } from '@echopulse/stomp-broker';
import { MemoryMessages } from '../../test/fakes/memory-messages';
import { MemorySequencingStore } from '../../test/fakes/memory-sequencing.store';
import type { ChannelAccess, ChannelGrant } from '../access/channel-access';
import { HistoryReader } from '../history/history.reader';
import { Sequencer } from '../sequencing/sequencer';
import type { ChatRecord } from './chat-message';
import { changeMaker } from './message-changes';
import { MessageService } from './message.service';

// The rules of sending, editing and deleting (issue #5) over in-memory fakes: grants as the
// projection would give them, limits that refuse on demand, the real Sequencer over an in-memory
// store, "Kafka" that hands records to an in-memory Redis history. chat.test.ts and
// edit-limits.test.ts play the same rules over STOMP against the real servers.

const { VIEW_CHANNEL, SEND_MESSAGES, MANAGE_MESSAGES, MANAGE_CHANNELS, MENTION_EVERYONE } =
  Permissions;
const MEMBER = VIEW_CHANNEL | SEND_MESSAGES;

const user = (id: string, roles: string[] = []): Principal => ({
  id,
  username: id,
  displayName: id,
  roles,
  expiresAt: new Date(Date.now() + 60_000),
});
const alice = user('alice');
const bob = user('bob');
const body = (content: string, nonce: string, extra: object = {}) =>
  JSON.stringify({ content, nonce, ...extra });

/** Rejects with a FrameRejection of this code. */
const refusal = (code: string) => expect.objectContaining({ code }) as unknown as FrameRejection;

describe('MessageService', () => {
  /** user id/channel id → the grant the projection would give. */
  let grants: Map<string, ChannelGrant>;
  let limited: FrameRejection | undefined;
  let checks: [string, string, number][];
  let releases: string[];
  let failKafka: boolean;
  let produced: ChatRecord[];
  let sequencer: Sequencer;
  let service: MessageService;

  const grant = (userId: string, channelId: string, permissions: bigint, slowmodeSeconds = 0) =>
    grants.set(`${userId}/${channelId}`, { guildId: '1', channelId, permissions, slowmodeSeconds });

  beforeEach(() => {
    grants = new Map();
    limited = undefined;
    checks = [];
    releases = [];
    failKafka = false;
    produced = [];
    const access: ChannelAccess = {
      channel: async (principal, channelId) => grants.get(`${principal.id}/${channelId}`),
      canViewGuild: async () => true,
      guildsOf: async () => ['1'],
    };
    const limits = {
      check: async (userId: string, channelId: string, slowmode: number) => {
        checks.push([userId, channelId, slowmode]);
        if (limited) throw limited;
      },
      release: async (userId: string, channelId: string) => {
        releases.push(`${userId}/${channelId}`);
      },
    };
    const cache = new MemoryMessages();
    const history = new HistoryReader(cache, new MemoryMessages());
    sequencer = new Sequencer(
      new MemorySequencingStore(),
      new SnowflakeGenerator(1),
      async (_channelId, records) => {
        if (failKafka) throw new Error('Kafka is down');
        produced.push(...records);
        cache.apply(records);
      },
      changeMaker(history, (messageId) => sequencer.byId(messageId)),
    );
    service = new MessageService(
      access,
      limits,
      sequencer,
      history,
      createLogger('message-service-test', 'silent'),
    );
    grant('alice', '10', MEMBER);
    grant('bob', '10', MEMBER);
  });

  afterEach(() => sequencer.stop());

  describe('send', () => {
    it('sequences a message with its author, guild and mentions', async () => {
      const message = await service.send(alice, '10', body('hi <@bob> @everyone', 'n1'));
      expect(message).toMatchObject({
        seq: 1,
        channelId: '10',
        guildId: '1',
        author: { id: 'alice', username: 'alice' },
        content: 'hi <@bob> @everyone',
        mentions: { users: ['bob'], everyone: false }, // no MENTION_EVERYONE
      });
      expect(produced).toEqual([{ type: 'message.created', message, nonce: 'n1' }]);
      grant('alice', '10', MEMBER | MENTION_EVERYONE);
      expect((await service.send(alice, '10', body('@everyone', 'n2'))).mentions.everyone).toBe(
        true,
      );
    });

    it('refuses a channel the user cannot see, or that does not exist, as not_found', async () => {
      grant('alice', '11', SEND_MESSAGES); // no VIEW_CHANNEL
      await expect(service.send(alice, '11', body('x', 'a'))).rejects.toEqual(refusal('not_found'));
      await expect(service.send(alice, '12', body('x', 'b'))).rejects.toEqual(refusal('not_found'));
      expect(produced).toEqual([]);
    });

    it('refuses without SEND_MESSAGES, and a malformed body before anything else', async () => {
      grant('alice', '10', VIEW_CHANNEL);
      await expect(service.send(alice, '10', body('x', 'a'))).rejects.toEqual(refusal('forbidden'));
      await expect(service.send(alice, '12', '{"content": 1}')).rejects.toEqual(
        refusal('invalid_message'),
      );
      expect(checks).toEqual([]);
      expect(produced).toEqual([]);
    });

    it('refuses a reply to a message of another channel or none', async () => {
      grant('alice', '20', MEMBER);
      const elsewhere = await service.send(alice, '20', body('there', 'e'));
      await expect(
        service.send(alice, '10', body('re', 'r1', { replyTo: elsewhere.id })),
      ).rejects.toEqual(refusal('invalid_message'));
      await expect(service.send(alice, '10', body('re', 'r2', { replyTo: '123' }))).rejects.toEqual(
        refusal('invalid_message'),
      );
      const here = await service.send(alice, '10', body('here', 'h'));
      expect(
        (await service.send(alice, '10', body('re', 'r3', { replyTo: here.id }))).replyTo,
      ).toBe(here.id);
    });

    it("applies the channel's slowmode to members, not to whoever manages its messages and channels", async () => {
      grant('alice', '10', MEMBER, 30);
      grant('bob', '10', MEMBER | MANAGE_MESSAGES | MANAGE_CHANNELS, 30);
      await service.send(alice, '10', body('a', 'a'));
      await service.send(bob, '10', body('b', 'b'));
      expect(checks).toEqual([
        ['alice', '10', 30],
        ['bob', '10', 0],
      ]);
    });

    it('passes on a limit refusal, except for a resend of a message already taken', async () => {
      const first = await service.send(alice, '10', body('once', 'n1'));
      limited = new FrameRejection('rate_limited', 'Slow down.');
      await expect(service.send(alice, '10', body('new', 'n2'))).rejects.toBe(limited);
      expect(await service.send(alice, '10', body('once', 'n1'))).toEqual(first);
      expect(produced).toHaveLength(1);
    });

    it('answers a resend with the original, unchanged, without a second message', async () => {
      const first = await service.send(alice, '10', body('once', 'n1'));
      expect(await service.send(alice, '10', body('changed?', 'n1'))).toEqual(first);
      expect(produced).toHaveLength(1);
    });

    it('answers unavailable when Kafka fails, and gives the slowmode back', async () => {
      grant('alice', '10', MEMBER, 30);
      failKafka = true;
      await expect(service.send(alice, '10', body('x', 'k'))).rejects.toEqual(
        refusal('unavailable'),
      );
      expect(releases).toEqual(['alice/10']);
    });
  });

  describe('edit', () => {
    it("edits the author's own message: new content, mentions, editedAt", async () => {
      const { id } = await service.send(alice, '10', body('typo', 'n'));
      const edited = await service.edit(
        alice,
        '10',
        id,
        JSON.stringify({ content: 'fixed <@bob>' }),
      );
      expect(edited).toMatchObject({ id, seq: 1, content: 'fixed <@bob>' });
      expect(edited.mentions.users).toEqual(['bob']);
      expect(edited.editedAt).toEqual(expect.any(String));
      expect(produced.map((r) => r.type)).toEqual(['message.created', 'message.updated']);
    });

    it("refuses others' messages, even with MANAGE_MESSAGES", async () => {
      grant('bob', '10', MEMBER | MANAGE_MESSAGES);
      const { id } = await service.send(alice, '10', body('mine', 'n'));
      await expect(
        service.edit(bob, '10', id, JSON.stringify({ content: 'yours' })),
      ).rejects.toEqual(refusal('forbidden'));
    });

    it('refuses without SEND_MESSAGES, under the rate limit, and for no such message', async () => {
      const { id } = await service.send(alice, '10', body('mine', 'n'));
      const edit = JSON.stringify({ content: 'again' });
      await expect(service.edit(alice, '10', 'abc', edit)).rejects.toEqual(refusal('not_found'));
      await expect(service.edit(alice, '10', '999', edit)).rejects.toEqual(refusal('not_found'));
      limited = new FrameRejection('rate_limited', 'Slow down.');
      await expect(service.edit(alice, '10', id, edit)).rejects.toBe(limited);
      grant('alice', '10', VIEW_CHANNEL);
      await expect(service.edit(alice, '10', id, edit)).rejects.toEqual(refusal('forbidden'));
      expect(checks.map(([, , slowmode]) => slowmode)).toEqual([0, 0, 0, 0]);
    });

    it('refuses a deleted message', async () => {
      const { id } = await service.send(alice, '10', body('gone', 'n'));
      await service.delete(alice, '10', id);
      await expect(
        service.edit(alice, '10', id, JSON.stringify({ content: 'back?' })),
      ).rejects.toEqual(refusal('not_found'));
    });
  });

  describe('delete', () => {
    it('lets the author delete: content and mentions emptied, deletedAt set', async () => {
      const { id } = await service.send(alice, '10', body('<@bob> oops', 'n'));
      const deleted = await service.delete(alice, '10', id);
      expect(deleted).toMatchObject({ id, content: '', mentions: { users: [], everyone: false } });
      expect(deleted.deletedAt).toEqual(expect.any(String));
      await expect(service.delete(alice, '10', id)).rejects.toEqual(refusal('not_found'));
    });

    it("refuses others' messages without MANAGE_MESSAGES or a realm moderator or admin role", async () => {
      const { id } = await service.send(alice, '10', body('mine', 'n'));
      await expect(service.delete(bob, '10', id)).rejects.toEqual(refusal('forbidden'));
      const second = await service.send(alice, '10', body('two', 'n2'));
      const third = await service.send(alice, '10', body('three', 'n3'));
      grant('bob', '10', MEMBER | MANAGE_MESSAGES);
      expect((await service.delete(bob, '10', id)).deletedAt).toBeDefined();
      grant('mod', '10', VIEW_CHANNEL);
      grant('admin', '10', VIEW_CHANNEL);
      expect(
        (await service.delete(user('mod', ['moderator']), '10', second.id)).deletedAt,
      ).toBeDefined();
      expect(
        (await service.delete(user('admin', ['admin']), '10', third.id)).deletedAt,
      ).toBeDefined();
    });

    it('refuses a message of another channel as not_found', async () => {
      grant('alice', '20', MEMBER);
      const { id } = await service.send(alice, '20', body('there', 'n'));
      await expect(service.delete(alice, '10', id)).rejects.toEqual(refusal('not_found'));
    });
  });
});

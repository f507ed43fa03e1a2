import { randomUUID } from 'node:crypto';
import { endpoints } from '@echopulse/infra';
import { SnowflakeGenerator } from '@echopulse/service-kit';
import { FrameRejection } from '@echopulse/stomp-broker';
import { createClient, type RedisClientType } from 'redis';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../src/db/data-source';
import type { ChatRecord } from '../src/messages/chat-message';
import { Sequencer, type MakeChange, type MessageDraft } from '../src/sequencing/sequencer';
import { SequencingRepository } from '../src/sequencing/sequencing.repository';
import { SequencerRouter } from '../src/sequencing/sequencer-router';
import {
  dropSchema,
  migratedDataSource,
  testDatabaseOptions,
  testLogger,
} from '../src/testing/projection-fixtures';

// Two "instances" (each its own Postgres pool, Redis client, Sequencer and SequencerRouter) on
// the real Postgres and Redis, with Kafka replaced by one shared log: which instance sequences a
// channel, what is forwarded, and how a channel moves when its owner dies.

interface Instance {
  id: string;
  source: DataSource;
  redis: RedisClientType;
  sequencer: Sequencer;
  router: SequencerRouter;
  failNext: number;
}

describe('SequencerRouter', () => {
  const db = testDatabaseOptions();
  const prefix = `test-${randomUUID()}:`;
  /** What "Kafka" holds, per channel, in the order produced. */
  const log = new Map<string, ChatRecord[]>();
  const instances: Instance[] = [];

  /** Edits by the author only, as message-changes.ts does (its own rules are tested in chat.test). */
  const makeChange =
    (sequencer: () => Sequencer): MakeChange =>
    async (_channelId, request) => {
      if (request.kind !== 'edit') return undefined;
      const message = (await sequencer().byId(request.messageId))!;
      if (message.author.id !== request.actorId)
        throw new FrameRejection('forbidden', "You may not edit others' messages here.");
      return { type: 'message.updated', message: { ...message, content: request.content } };
    };

  /** How many instances sequence; the spreading test raises it. */
  let sequencers = 1;

  async function instance(n: number, source: DataSource): Promise<Instance> {
    const redis: RedisClientType = createClient({ url: endpoints.redis.url });
    await redis.connect();
    const self = { id: `instance-${n}`, source, redis, failNext: 0 } as Instance;
    self.sequencer = new Sequencer(
      new SequencingRepository(source),
      new SnowflakeGenerator(n),
      async (channelId, records) => {
        if (self.failNext > 0) {
          self.failNext--;
          throw new Error('Kafka is down');
        }
        log.set(channelId, [...(log.get(channelId) ?? []), ...records]);
      },
      makeChange(() => self.sequencer),
      { onOwned: (c) => self.router.owned(c), onReleased: (c) => self.router.released(c) },
    );
    self.router = new SequencerRouter(self.sequencer, {
      redis,
      prefix,
      instanceId: self.id,
      logger: testLogger(),
      forwardTimeoutMs: 1000,
      deadlineMs: 5000,
      heartbeatMs: 100,
      get sequencers() {
        return sequencers;
      },
    });
    await self.router.start();
    return self;
  }

  beforeAll(async () => {
    const source = await migratedDataSource(db);
    instances.push(await instance(1, source));
    const second = createDataSource(db);
    await second.initialize();
    instances.push(await instance(2, second));
  });

  afterAll(async () => {
    for (const i of instances) {
      await i.sequencer.stop();
      await i.router.stop();
    }
    const [first] = instances;
    for (const key of await first!.redis.keys(`${prefix}*`)) await first!.redis.del(key);
    for (const i of instances) await i.redis.quit();
    await dropSchema(first!.source, db.schema);
    for (const i of instances) if (i.source.isInitialized) await i.source.destroy();
  });

  const draft = (channelId: string, content: string, author = 'u1'): MessageDraft => ({
    channelId,
    guildId: '1',
    author: { id: author, username: author },
    content,
    mentions: { users: [], everyone: false },
  });
  /** [the instance owning the channel, the other one]. */
  const ownerFirst = (channelId: string): [Instance, Instance] => {
    const [x, y] = instances as [Instance, Instance];
    return x.sequencer.owns(channelId) ? [x, y] : [y, x];
  };
  const seqs = (channelId: string) => (log.get(channelId) ?? []).map((r) => r.message.seq);

  it('sequences a channel on one instance only; the other forwards, and order is kept', async () => {
    await instances[0]!.router.create(draft('300', 'first'), 'r-0'); // one of them claims it
    const [a, b] = ownerFirst('300');
    const sends = Array.from({ length: 100 }, (_, i) =>
      (i % 2 ? b : a).router.create(draft('300', `m${i}`), `r-${i + 1}`),
    );
    const results = await Promise.all(sends);
    expect(a.sequencer.ownedChannels).toContain('300');
    expect(b.sequencer.ownedChannels).not.toContain('300');
    expect(results.every((r) => !r.duplicate)).toBe(true);
    expect(results.map((r) => r.message.seq).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 100 }, (_, i) => i + 2),
    );
    // Kafka got every seq once, in order; each sender's messages in the order it sent them.
    expect(seqs('300')).toEqual(Array.from({ length: 101 }, (_, i) => i + 1));
    for (const parity of [0, 1]) {
      const mine = results.filter((_, i) => i % 2 === parity).map((r) => r.message.seq);
      expect(mine).toEqual([...mine].sort((x, y) => x - y));
    }
    // a resend through the other instance answers with the original
    const again = await b.router.create(draft('300', 'first'), 'r-0');
    expect(again).toEqual({ message: expect.objectContaining({ seq: 1 }), duplicate: true });
  });

  it("forwards edits, and the owner's refusal reaches the sender with its code", async () => {
    const [a, b] = instances as [Instance, Instance];
    const { message } = await a.router.create(draft('301', 'mine', 'u1'), 'e-1');
    const refused = b.router.change('301', {
      kind: 'edit',
      messageId: message.id,
      actorId: 'u2',
      content: 'theirs',
      mentions: { users: [], everyone: false },
    });
    await expect(refused).rejects.toMatchObject({ name: 'FrameRejection', code: 'forbidden' });
    const edited = await b.router.change('301', {
      kind: 'edit',
      messageId: message.id,
      actorId: 'u1',
      content: 'mine!',
      mentions: { users: [], everyone: false },
    });
    expect(edited).toMatchObject({ type: 'message.updated', message: { content: 'mine!' } });
    expect(log.get('301')!.map((r) => r.type)).toEqual(['message.created', 'message.updated']);
  });

  it('puts new channels on one sequencing instance by default, whichever instance the sends reach', async () => {
    const [a, b] = instances as [Instance, Instance];
    await new Promise((r) => setTimeout(r, 250)); // both have seen each other's heartbeat
    const channelIds = Array.from({ length: 10 }, (_, i) => String(500 + i));
    await Promise.all(
      channelIds.map((c, i) => (i % 2 ? a : b).router.create(draft(c, 'hi'), `l-${c}`)),
    );
    const onA = channelIds.filter((c) => a.sequencer.owns(c)).length;
    expect([onA, channelIds.filter((c) => b.sequencer.owns(c)).length].sort()).toEqual([0, 10]);
  });

  it('spreads new channels over the sequencing instances when there are several', async () => {
    const [a, b] = instances as [Instance, Instance];
    sequencers = 2;
    const channelIds = Array.from({ length: 20 }, (_, i) => String(400 + i));
    const results = await Promise.all(
      channelIds.map((c) => a.router.create(draft(c, 'hello'), `s-${c}`)),
    );
    expect(results.map((r) => r.message.seq)).toEqual(channelIds.map(() => 1));
    const onA = channelIds.filter((c) => a.sequencer.owns(c));
    const onB = channelIds.filter((c) => b.sequencer.owns(c));
    expect(onA.length + onB.length).toBe(20);
    // Rendezvous hashing: each side gets a share (all 20 on one side: odds 2 in a million).
    expect(Math.min(onA.length, onB.length)).toBeGreaterThan(2);
    sequencers = 1;
  });

  it('moves a channel to the survivor when its owner dies, producing what it left pending first', async () => {
    await instances[0]!.router.create(draft('302', 'one'), 'k-1');
    const [a, b] = ownerFirst('302');
    a.failNext = 1; // the claim is committed, the produce fails: seq 2 stays pending
    await expect(a.router.create(draft('302', 'two'), 'k-2')).rejects.toThrow('Kafka is down');
    expect(seqs('302')).toEqual([1]);

    // "kill -9": the owner's Redis subscription and its Postgres sessions end at once.
    await a.router.stop();
    // The session holding the channel's lock (key as in sequencing.repository.ts: high and low 32 bits).
    const [killed] = (await a.source.query(
      `SELECT pg_terminate_backend(l.pid) AS ok FROM pg_locks l
       WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted
         AND ((l.classid::bigint << 32) | l.objid::bigint)
             = hashtextextended('chat-sequence/' || current_schema() || '/' || '302', 0)`,
    )) as { ok: boolean }[];
    expect(killed).toEqual({ ok: true });
    const started = Date.now();
    const three = await b.router.create(draft('302', 'three'), 'k-3');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(three.message.seq).toBe(3);
    expect(b.sequencer.ownedChannels).toContain('302');
    // the survivor produced the dead owner's pending record ahead of its own
    expect(seqs('302')).toEqual([1, 2, 3]);
    expect(log.get('302')![1]!.message.content).toBe('two');
  });
});

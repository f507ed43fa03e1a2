import { parseServerEvent } from '@echopulse/guild-contracts';
import { endpoints } from '@echopulse/infra';
import { createLogger, type Logger } from '@echopulse/service-kit';
import { Client } from 'pg';
import {
  TopicCollector,
  createOutboxSchema,
  deleteTopic,
  expectedOrderByGuild,
  firstSeenOrderByGuild,
  interleavedEvents,
  memberJoined,
  newGuildId,
  testKafka,
  uniqueLockKey,
  uniqueSuffix,
  waitFor,
  type OutboxSchema,
} from '../../test/outbox/outbox-testing';
import { OutboxRelay, type OutboxRelayOptions } from './outbox.relay';

// jest takes testTimeout from the root config in a multi-project run, not from the project's.
jest.setTimeout(60_000);

const logger = createLogger('outbox-relay-test', process.env.OUTBOX_TEST_LOG ?? 'silent');

/** A silent logger that keeps what it is asked to log at warn and error (its children too). */
function loudLogs(): { logger: Logger; logged: string[] } {
  const logged: string[] = [];
  const wrap = (target: Logger): Logger => {
    const child = target.child.bind(target);
    target.child = ((bindings: Record<string, unknown>) =>
      wrap(child(bindings))) as unknown as Logger['child'];
    for (const level of ['warn', 'error'] as const) {
      target[level] = ((obj: unknown, msg?: string) => {
        logged.push(`${level}: ${msg ?? String(obj)}`);
      }) as Logger['warn'];
    }
    return target;
  };
  return { logger: wrap(createLogger('outbox-relay-test', 'silent')), logged };
}

describe('OutboxRelay on the real Postgres and Kafka', () => {
  let db: OutboxSchema;
  const topics: string[] = [];
  const relays: OutboxRelay[] = [];
  const collectors: TopicCollector[] = [];

  beforeAll(async () => {
    db = await createOutboxSchema();
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await Promise.all(collectors.splice(0).map((c) => c.stop()));
    await db.query('DELETE FROM outbox');
  });
  afterAll(async () => {
    await db.drop();
    await Promise.all(topics.map(deleteTopic));
  });

  /** A relay on this suite's schema with a topic of its own (or the given one). */
  function relay(overrides: Partial<OutboxRelayOptions> = {}): OutboxRelay {
    const topic = overrides.topic ?? `outbox-test-${uniqueSuffix()}`;
    if (!topics.includes(topic)) topics.push(topic);
    const created = new OutboxRelay({
      database: db.pg,
      kafka: { clientId: `outbox-test-${uniqueSuffix()}`, brokers: [...endpoints.kafka.brokers] },
      topic,
      partitions: 3,
      pollIntervalMs: 60_000, // NOTIFY must do the waking in these tests, unless one says otherwise
      standbyRetryMs: 100,
      backoff: { initialMs: 50, maxMs: 500 },
      lockKey: uniqueLockKey(),
      logger,
      ...overrides,
    });
    relays.push(created);
    return created;
  }

  async function collect(topic: string): Promise<TopicCollector> {
    const collector = await TopicCollector.start(topic);
    collectors.push(collector);
    return collector;
  }

  const leading = (r: OutboxRelay) =>
    waitFor('the relay to lead with Kafka connected', async () => {
      const health = await r.health();
      return health.status === 'leader' && health.kafka.connected;
    });

  const unpublished = async () =>
    Number(
      (
        await db.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE published_at IS NULL')
      )[0]?.n,
    );

  it('creates the topic with the configured partition count', async () => {
    const r = relay({ partitions: 5 });
    r.start();
    await leading(r);
    const admin = testKafka(`outbox-test-${uniqueSuffix()}`).admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [topics.at(-1)!] });
      expect(metadata.topics[0]?.partitions).toHaveLength(5);
    } finally {
      await admin.disconnect();
    }
  });

  it('starts on an existing topic without an error or warning; warns when its partition count differs', async () => {
    const first = relay();
    first.start();
    await leading(first);
    const topic = topics.at(-1)!;

    // A second relay (its own lock key, so it leads too) on the topic the first one created:
    // kafkajs logs "Topic creation errors" at error level if the relay asks to create it again.
    const same = loudLogs();
    const second = relay({ topic, logger: same.logger });
    second.start();
    await leading(second);
    expect(same.logged).toEqual([]);

    // What a real problem looks like through the same capture: the count is off by configuration.
    const other = loudLogs();
    const third = relay({ topic, partitions: 5, logger: other.logger });
    third.start();
    await leading(third);
    expect(other.logged).toEqual(['warn: topic partition count differs']);
  });

  it('publishes committed events in order per guild, keyed by guild, with the envelope and ce_ headers', async () => {
    const r = relay();
    r.start();
    await leading(r);
    const topic = topics.at(-1)!;
    const collector = await collect(topic);
    const guilds = [newGuildId(), newGuildId(), newGuildId(), newGuildId()];
    const events = interleavedEvents(guilds, 15);
    // Several transactions of several events, as the services write them.
    for (let i = 0; i < events.length; i += 6) await db.commit(...events.slice(i, i + 6));

    await collector.waitForIds(events.map((e) => e.id));
    expect(collector.messages).toHaveLength(events.length);
    expect(firstSeenOrderByGuild(collector.messages)).toEqual(expectedOrderByGuild(events));
    const byId = new Map(collector.messages.map((m) => [m.envelope.id, m]));
    for (const event of events) {
      const message = byId.get(event.id)!;
      expect(message.key).toBe(event.subject.slice('guilds/'.length));
      expect(message.envelope).toEqual(event);
      expect(parseServerEvent(JSON.stringify(message.envelope))).toEqual(event);
      expect(message.headers).toMatchObject({
        ce_id: event.id,
        ce_type: event.type,
        ce_source: '/server-service',
        ce_subject: event.subject,
        ce_specversion: '1.0',
      });
    }
    // Each guild's events share one partition.
    for (const guildId of guilds) {
      const partitions = new Set(
        collector.messages.filter((m) => m.key === guildId).map((m) => m.partition),
      );
      expect(partitions.size).toBe(1);
    }
    await waitFor('all rows marked published', async () => (await unpublished()) === 0);
    const health = await r.health();
    expect(health).toMatchObject({
      status: 'leader',
      lag: { unpublished: 0, oldestAgeSeconds: null },
    });
    expect(health.publishedTotal).toBe(events.length);
  });

  it('publishes nothing of a rolled-back transaction', async () => {
    const r = relay();
    r.start();
    await leading(r);
    const collector = await collect(topics.at(-1)!);
    const guildId = newGuildId();
    const [before, doomed, after] = [
      memberJoined(guildId, 1),
      memberJoined(guildId, 2),
      memberJoined(guildId, 3),
    ];

    await db.commit(before!);
    await expect(
      db.dataSource.transaction(async (manager) => {
        await db.writer.append(manager, doomed!);
        throw new Error('the domain change failed');
      }),
    ).rejects.toThrow('the domain change failed');
    await db.commit(after!);

    // The three share a guild, hence a partition: once `after` is in, `doomed` would be too.
    await collector.waitForIds([before!.id, after!.id]);
    expect(collector.ids()).toEqual([before!.id, after!.id]);
    expect(await db.query('SELECT id FROM outbox WHERE id = $1', [doomed!.id])).toEqual([]);
  });

  it('is woken by NOTIFY at commit, not by its poll', async () => {
    const r = relay({ pollIntervalMs: 60_000 });
    r.start();
    await leading(r);
    const collector = await collect(topics.at(-1)!);
    const event = memberJoined(newGuildId(), 1);
    const committedAt = Date.now();
    await db.commit(event);
    await collector.waitForIds([event.id], 10_000);
    // Far below the 60 s poll: the trigger's NOTIFY woke the relay.
    expect(collector.messages[0]!.receivedAt - committedAt).toBeLessThan(5_000);
  });

  it('still publishes by polling when no NOTIFY comes', async () => {
    // A schema of its own without the trigger: rows arrive silently.
    const silent = await createOutboxSchema();
    try {
      await silent.query('DROP TRIGGER outbox_notify_trg ON outbox');
      const r = relay({ database: silent.pg, pollIntervalMs: 200 });
      r.start();
      await leading(r);
      const collector = await collect(topics.at(-1)!);
      const events = interleavedEvents([newGuildId()], 5);
      await silent.commit(...events);
      await collector.waitForIds(
        events.map((e) => e.id),
        10_000,
      );
      expect(collector.ids()).toEqual(events.map((e) => e.id));
      await r.stop();
    } finally {
      await silent.drop();
    }
  });

  it('lets exactly one of two relays lead; each event goes out once, in order; the standby takes over', async () => {
    const topic = `outbox-test-${uniqueSuffix()}`;
    const lockKey = uniqueLockKey();
    const first = relay({ topic, lockKey, batchSize: 7 });
    const second = relay({ topic, lockKey, batchSize: 7 });
    first.start();
    await leading(first);
    second.start();
    await waitFor('the second relay to stand by', () => second.status === 'standby');
    const collector = await collect(topic);

    const guilds = [newGuildId(), newGuildId(), newGuildId()];
    const phase1 = interleavedEvents(guilds, 20);
    for (let i = 0; i < phase1.length; i += 5) await db.commit(...phase1.slice(i, i + 5));
    await collector.waitForIds(phase1.map((e) => e.id));
    expect(second.status).toBe('standby');
    expect((await second.health()).publishedTotal).toBe(0);

    // The leader goes away gracefully (a deploy): the standby takes over.
    await first.stop();
    await leading(second);
    const phase2 = interleavedEvents(guilds, 10, 100);
    for (let i = 0; i < phase2.length; i += 5) await db.commit(...phase2.slice(i, i + 5));
    await collector.waitForIds(phase2.map((e) => e.id));

    const all = [...phase1, ...phase2];
    // Nothing went out twice, and each guild's events are in commit order.
    expect(collector.messages).toHaveLength(all.length);
    expect(new Set(collector.ids()).size).toBe(all.length);
    expect(firstSeenOrderByGuild(collector.messages)).toEqual(expectedOrderByGuild(all));
  });

  it('loses leadership with its Postgres connection, and the standby publishes the rest', async () => {
    const topic = `outbox-test-${uniqueSuffix()}`;
    const lockKey = uniqueLockKey();
    const name = (n: string) => ({
      ...db.pg,
      application_name: `outbox-relay-${n}-${uniqueSuffix()}`,
    });
    const firstDb = name('first');
    // The first reconnects slowly, so that the standby (retrying every 100 ms) is the one to take over.
    const first = relay({
      topic,
      lockKey,
      database: firstDb,
      backoff: { initialMs: 1500, maxMs: 2000 },
    });
    const second = relay({ topic, lockKey, database: name('second') });
    first.start();
    await leading(first);
    second.start();
    await waitFor('the second relay to stand by', () => second.status === 'standby');
    const collector = await collect(topic);

    const guilds = [newGuildId(), newGuildId()];
    const before = interleavedEvents(guilds, 10);
    await db.commit(...before);
    await collector.waitForIds(before.map((e) => e.id));

    // What a crashed host or a network cut looks like to Postgres: the session is gone.
    const admin = new Client({ ...db.pg });
    await admin.connect();
    try {
      const killed = await admin.query(
        'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1',
        [firstDb.application_name],
      );
      expect(killed.rows).toEqual([{ ok: true }]);
    } finally {
      await admin.end();
    }
    await leading(second);
    const after = interleavedEvents(guilds, 10, 100);
    await db.commit(...after);
    await collector.waitForIds(after.map((e) => e.id));
    // The first relay reconnected and now stands by rather than competing.
    await waitFor('the first relay to stand by again', () => first.status === 'standby');

    const all = [...before, ...after];
    expect(firstSeenOrderByGuild(collector.messages)).toEqual(expectedOrderByGuild(all));
    expect(new Set(collector.ids()).size).toBe(all.length);
    await waitFor('all rows marked published', async () => (await unpublished()) === 0);
  });

  it('finishes the batch in flight when stopped', async () => {
    let stopping: Promise<void> | undefined;
    let batch: string[] = [];
    const r = relay({
      batchSize: 50,
      hooks: {
        // Stop while Kafka holds the batch but before the rows are marked: stop() must wait.
        afterPublish: (rows) => {
          if (stopping) return;
          batch = rows.map((row) => row.id);
          stopping = r.stop();
        },
      },
    });
    const events = interleavedEvents([newGuildId()], 30);
    await db.commit(...events);
    r.start();
    await waitFor('stop() to be called', () => stopping !== undefined);
    await stopping;
    expect(r.status).toBe('stopped');
    expect(batch).toEqual(events.map((e) => e.id));
    expect(await unpublished()).toBe(0);
  });

  it('reports its lag while it cannot lead', async () => {
    const lockKey = uniqueLockKey();
    // Hold the lock from another session, as a hung leader would.
    const holder = new Client({ ...db.pg });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1::bigint)', [lockKey.toString()]);
      const r = relay({ lockKey });
      r.start();
      await waitFor('standby', () => r.status === 'standby');
      await db.commit(...interleavedEvents([newGuildId()], 4));
      const health = await r.health();
      expect(health.status).toBe('standby');
      expect(health.lag?.unpublished).toBe(4);
      expect(health.lag?.oldestAgeSeconds).toBeGreaterThanOrEqual(0);
      expect(health.kafka.connected).toBe(false);
    } finally {
      await holder.end();
    }
  });

  it('deletes published rows past the retention in small batches, and nothing else', async () => {
    const guildId = newGuildId();
    const old = interleavedEvents([guildId], 23);
    const recent = interleavedEvents([guildId], 3, 100);
    const pending = interleavedEvents([guildId], 2, 200);
    await db.commit(...old, ...recent, ...pending);
    await db.query(
      `UPDATE outbox SET published_at = now() - interval '2 hours' WHERE id = ANY($1::uuid[])`,
      [old.map((e) => e.id)],
    );
    await db.query(
      `UPDATE outbox SET published_at = now() - interval '1 minute' WHERE id = ANY($1::uuid[])`,
      [recent.map((e) => e.id)],
    );
    // 23 rows past the retention take five DELETEs of at most 5 rows; retention runs when a relay
    // starts leading, then once per interval.
    const r = relay({ retentionMs: 3600_000, cleanupBatchSize: 5, cleanupIntervalMs: 3600_000 });
    r.start();
    await leading(r);
    const remaining = await waitFor('old published rows to be deleted', async () => {
      const rows = await db.query<{ id: string }>('SELECT id FROM outbox ORDER BY position');
      return rows.length === recent.length + pending.length && rows;
    });
    expect(remaining.map((row) => row.id)).toEqual([...recent, ...pending].map((e) => e.id));
    // The pending ones were published, not deleted.
    await waitFor('pending rows published', async () => (await unpublished()) === 0);
  });
});

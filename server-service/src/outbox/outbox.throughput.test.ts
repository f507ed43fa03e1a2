/**
 * Figures of the relay on this machine: how fast a backlog drains and how soon a committed event
 * is on Kafka. The bounds are loose (a shared 2-core machine); the figures are logged.
 */
import { endpoints } from '@echopulse/infra';
import { createLogger } from '@echopulse/service-kit';
import {
  TopicCollector,
  createOutboxSchema,
  deleteTopic,
  interleavedEvents,
  memberJoined,
  newGuildId,
  uniqueLockKey,
  uniqueSuffix,
  waitFor,
  type OutboxSchema,
} from '../../test/outbox/outbox-testing';
import { OutboxRelay } from './outbox.relay';

// jest takes testTimeout from the root config in a multi-project run, not from the project's.
jest.setTimeout(120_000);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

describe('outbox relay figures', () => {
  let db: OutboxSchema;
  let relay: OutboxRelay;
  let collector: TopicCollector | undefined;
  const topic = `outbox-figures-test-${uniqueSuffix()}`;

  beforeAll(async () => {
    db = await createOutboxSchema();
    relay = new OutboxRelay({
      database: db.pg,
      kafka: {
        clientId: `outbox-figures-${uniqueSuffix()}`,
        brokers: [...endpoints.kafka.brokers],
      },
      topic,
      lockKey: uniqueLockKey(),
      logger: createLogger('outbox-figures-test', 'silent'),
    });
  });
  afterAll(async () => {
    await relay.stop();
    await collector?.stop();
    await db.drop();
    await deleteTopic(topic);
  });

  it('drains a backlog of 5000 events at a good rate', async () => {
    const guilds = Array.from({ length: 50 }, () => newGuildId());
    const events = interleavedEvents(guilds, 100);
    for (let i = 0; i < events.length; i += 500) await db.commit(...events.slice(i, i + 500));

    const started = performance.now();
    relay.start();
    await waitFor(
      'the backlog to drain',
      async () => (await relay.health()).lag?.unpublished === 0,
      90_000,
    );
    const seconds = (performance.now() - started) / 1000;
    const rate = events.length / seconds;
    console.log(
      `outbox relay drained ${events.length} events in ${seconds.toFixed(2)} s ` +
        `(${Math.round(rate)} events/s, batches of 500, including connecting and creating the topic)`,
    );
    expect((await relay.health()).publishedTotal).toBe(events.length);
    expect(rate).toBeGreaterThan(300);
  });

  it('puts a committed event on Kafka within milliseconds', async () => {
    collector = await TopicCollector.start(topic);
    await waitFor(
      'the backlog to reach the consumer',
      () => collector!.messages.length >= 5000,
      60_000,
    );
    const guildId = newGuildId();
    const toConsumer: number[] = [];
    for (let i = 0; i < 40; i += 1) {
      const event = memberJoined(guildId, i);
      await db.commit(event);
      const committedAt = Date.now();
      await waitFor(
        'the event on the topic',
        () => collector!.messages.some((m) => m.envelope.id === event.id),
        10_000,
        2,
      );
      const received = collector.messages.find((m) => m.envelope.id === event.id)!;
      toConsumer.push(received.receivedAt - committedAt);
    }
    // Commit → marked published, by the database's own clock (created_at is the transaction's start).
    const published = (
      await db.query<{ ms: number }>(
        `SELECT extract(epoch FROM published_at - created_at)::float8 * 1000 AS ms FROM outbox
         WHERE guild_id = $1 ORDER BY ms`,
        [guildId],
      )
    ).map((r) => r.ms);
    const sortedConsumer = [...toConsumer].sort((a, b) => a - b);
    console.log(
      `outbox latency over 40 single-event commits: commit→published (acked, marked) ` +
        `p50 ${percentile(published, 50).toFixed(1)} ms, p95 ${percentile(published, 95).toFixed(1)} ms; ` +
        `commit→consumer p50 ${percentile(sortedConsumer, 50)} ms, p95 ${percentile(sortedConsumer, 95)} ms`,
    );
    expect(percentile(published, 50)).toBeLessThan(500);
    expect(percentile(sortedConsumer, 50)).toBeLessThan(1000);
  });
});

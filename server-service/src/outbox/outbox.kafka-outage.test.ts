/**
 * Kafka outages, isolated: the relay reaches the real Kafka through a TCP proxy of its own
 * (test/outbox/tcp-proxy.ts) that the test closes and reopens. The broker itself never stops,
 * so suites running at the same time are not disturbed.
 */
import { endpoints } from '@echopulse/infra';
import { createLogger, type Logger } from '@echopulse/service-kit';
import {
  TopicCollector,
  createOutboxSchema,
  deleteTopic,
  expectedOrderByGuild,
  firstSeenOrderByGuild,
  interleavedEvents,
  newGuildId,
  testKafka,
  uniqueLockKey,
  uniqueSuffix,
  waitFor,
  type OutboxSchema,
} from '../../test/outbox/outbox-testing';
import { TcpProxy } from '../../test/outbox/tcp-proxy';
import { OutboxRelay } from './outbox.relay';

// jest takes testTimeout from the root config in a multi-project run, not from the project's.
jest.setTimeout(120_000);

const [kafkaHost, kafkaPort] = endpoints.kafka.brokers[0].split(':') as [string, string];

/** A silent logger whose warnings the test can read. */
function capturingLogger(): { logger: Logger; warnings: { msg: string; err?: string }[] } {
  const warnings: { msg: string; err?: string }[] = [];
  const logger = createLogger('outbox-outage-test', 'silent');
  const wrap = (target: Logger): Logger => {
    const child = target.child.bind(target);
    target.child = ((bindings: Record<string, unknown>) =>
      wrap(child(bindings))) as unknown as Logger['child'];
    target.warn = ((obj: unknown, msg?: string) => {
      const err = (obj as { err?: Error })?.err?.message;
      warnings.push({ msg: msg ?? String(obj), err });
    }) as Logger['warn'];
    return target;
  };
  return { logger: wrap(logger), warnings };
}

describe('the outbox relay through a Kafka outage', () => {
  let db: OutboxSchema;
  let proxy: TcpProxy;
  const topics: string[] = [];
  const stops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    db = await createOutboxSchema();
  });
  beforeEach(async () => {
    proxy = await TcpProxy.start({ host: kafkaHost, port: Number(kafkaPort) });
  });
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
    await proxy.close();
  });
  afterAll(async () => {
    await db.drop();
    await Promise.all(topics.map(deleteTopic));
  });

  async function setUp(kafkaTimeouts: { connectionTimeout: number; requestTimeout: number }) {
    const topic = `outbox-outage-test-${uniqueSuffix()}`;
    topics.push(topic);
    const { logger, warnings } = capturingLogger();
    const delays: number[] = [];
    const relay = new OutboxRelay({
      database: db.pg,
      kafka: {
        clientId: `outbox-outage-test-${uniqueSuffix()}`,
        brokers: [`127.0.0.1:${proxy.port}`],
        socketFactory: proxy.socketFactory(),
        ...kafkaTimeouts,
      },
      topic,
      partitions: 3,
      batchSize: 25,
      pollIntervalMs: 200,
      lockKey: uniqueLockKey(),
      backoff: { initialMs: 100, maxMs: 800 },
      logger,
      hooks: { onRetry: ({ delayMs }) => delays.push(delayMs) },
    });
    relay.start();
    stops.push(() => relay.stop());
    await waitFor('the relay to lead with Kafka connected', async () => {
      const health = await relay.health();
      return health.status === 'leader' && health.kafka.connected;
    });
    // The test reads the topic directly, not through the proxy.
    const collector = await TopicCollector.start(topic);
    stops.push(() => collector.stop());
    const highWatermark = async () => {
      const admin = testKafka(`outbox-outage-test-${uniqueSuffix()}`).admin();
      await admin.connect();
      try {
        return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
      } finally {
        await admin.disconnect();
      }
    };
    return { relay, collector, warnings, delays, highWatermark };
  }

  const guilds = () => [newGuildId(), newGuildId(), newGuildId(), newGuildId()];

  it('keeps the backlog while Kafka refuses connections, logs why, backs off up to the cap, then drains it in order', async () => {
    const { relay, collector, warnings, delays, highWatermark } = await setUp({
      connectionTimeout: 1000,
      requestTimeout: 5000,
    });
    const ids = guilds();
    const before = interleavedEvents(ids, 3);
    await db.commit(...before);
    await collector.waitForIds(before.map((e) => e.id));

    await proxy.refuse();
    const backlog = interleavedEvents(ids, 20, 100);
    for (let i = 0; i < backlog.length; i += 10) await db.commit(...backlog.slice(i, i + 10));

    // Enough failed attempts to reach the backoff cap.
    const health = await waitFor(
      'five failed publish attempts',
      async () => {
        const h = await relay.health();
        return h.kafka.consecutiveFailures >= 5 && h;
      },
      60_000,
    );
    expect(health.kafka.connected).toBe(false);
    expect(health.kafka.lastError).toBeTruthy();
    expect(health.lag?.unpublished).toBe(backlog.length);
    expect(health.lag?.oldestAgeSeconds).toBeGreaterThan(0);
    expect(await highWatermark()).toBe(before.length);
    // Logged each time, with the cause.
    const failures = warnings.filter((w) => w.msg.startsWith('could not publish outbox events'));
    expect(failures.length).toBeGreaterThanOrEqual(5);
    expect(failures[0]?.err).toBeTruthy();
    // Capped exponential backoff with jitter: within [cap/2, cap] once at the cap, never above.
    expect(Math.max(...delays)).toBeLessThanOrEqual(800);
    expect(delays.slice(3).every((d) => d >= 400)).toBe(true);

    await proxy.restore();
    await collector.waitForIds(
      backlog.map((e) => e.id),
      60_000,
    );
    await waitFor('the lag to be gone', async () => (await relay.health()).lag?.unpublished === 0);
    const after = await relay.health();
    expect(after.kafka).toMatchObject({ connected: true, consecutiveFailures: 0, lastError: null });

    const all = [...before, ...backlog];
    expect(new Set(collector.ids())).toEqual(new Set(all.map((e) => e.id)));
    expect(firstSeenOrderByGuild(collector.messages)).toEqual(expectedOrderByGuild(all));
    expect(warnings.some((w) => w.msg.includes('Kafka is reachable again'))).toBe(false); // info, not warn
  });

  it('does not hang when Kafka stops answering (a partition), and drains once it answers again', async () => {
    const { relay, collector, highWatermark } = await setUp({
      connectionTimeout: 1000,
      requestTimeout: 1500,
    });
    const ids = guilds();
    const before = interleavedEvents(ids, 2);
    await db.commit(...before);
    await collector.waitForIds(before.map((e) => e.id));

    proxy.blackhole();
    const backlog = interleavedEvents(ids, 10, 100);
    for (let i = 0; i < backlog.length; i += 8) await db.commit(...backlog.slice(i, i + 8));
    await waitFor(
      'two timed-out publish attempts',
      async () => (await relay.health()).kafka.consecutiveFailures >= 2,
      60_000,
    );
    expect((await relay.health()).lag?.unpublished).toBe(backlog.length);
    expect(await highWatermark()).toBe(before.length);

    await proxy.restore();
    await collector.waitForIds(
      backlog.map((e) => e.id),
      60_000,
    );
    const all = [...before, ...backlog];
    expect(new Set(collector.ids())).toEqual(new Set(all.map((e) => e.id)));
    expect(firstSeenOrderByGuild(collector.messages)).toEqual(expectedOrderByGuild(all));
    await waitFor('the lag to be gone', async () => (await relay.health()).lag?.unpublished === 0);
  });

  it('stops promptly while Kafka is down, leaving the batch for the next relay', async () => {
    const { relay } = await setUp({ connectionTimeout: 1000, requestTimeout: 5000 });
    await proxy.refuse();
    const events = interleavedEvents(guilds(), 3);
    await db.commit(...events);
    await waitFor(
      'a failed attempt',
      async () => (await relay.health()).kafka.consecutiveFailures >= 1,
      30_000,
    );
    const started = Date.now();
    await relay.stop();
    expect(Date.now() - started).toBeLessThan(5000);
    const left = await db.query<{ n: string }>(
      'SELECT count(*) AS n FROM outbox WHERE published_at IS NULL AND id = ANY($1::uuid[])',
      [events.map((e) => e.id)],
    );
    expect(Number(left[0]?.n)).toBe(events.length);
  });
});

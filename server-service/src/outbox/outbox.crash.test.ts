import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { endpoints } from '@echopulse/infra';
import { createLogger } from '@echopulse/service-kit';
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
import { OutboxRelay } from './outbox.relay';

// jest takes testTimeout from the root config in a multi-project run, not from the project's.
jest.setTimeout(90_000);

const root = join(__dirname, '../../..');
const childScript = join(__dirname, '../../test/outbox/relay-child.ts');

/** A relay in a child process (see test/outbox/relay-child.ts) and the JSON lines it reports. */
class RelayProcess {
  readonly lines: Record<string, unknown>[] = [];
  readonly exited: Promise<[number | null, NodeJS.Signals | null]>;
  private constructor(readonly child: ChildProcess) {
    this.exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        // pino's own log lines carry `level`; ours do not.
        if (!('level' in parsed)) this.lines.push(parsed);
      } catch {
        // not JSON: ignore
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  }

  static spawn(options: Record<string, unknown>): RelayProcess {
    // Node itself, not the tsx CLI, so that the SIGKILL lands on the relay's own process.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', childScript, JSON.stringify(options)],
      {
        cwd: root,
        env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.check.json') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    return new RelayProcess(child);
  }

  line(key: string): Record<string, unknown> | undefined {
    return this.lines.find((l) => key in l);
  }
}

describe('the outbox relay killed with SIGKILL', () => {
  let db: OutboxSchema;
  const topic = `outbox-crash-test-${uniqueSuffix()}`;
  const lockKey = uniqueLockKey();
  const children: RelayProcess[] = [];
  const relays: OutboxRelay[] = [];
  let collector: TopicCollector;

  const inProcessRelay = () => {
    const relay = new OutboxRelay({
      database: db.pg,
      kafka: {
        clientId: `outbox-crash-test-${uniqueSuffix()}`,
        brokers: [...endpoints.kafka.brokers],
      },
      topic,
      batchSize: 10,
      pollIntervalMs: 200,
      standbyRetryMs: 100,
      lockKey,
      logger: createLogger('outbox-crash-test', 'silent'),
    });
    relays.push(relay);
    return relay;
  };
  const highWatermarks = async () => {
    const admin = testKafka(`outbox-crash-test-${uniqueSuffix()}`).admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets.reduce((sum, p) => sum + Number(p.high), 0);
    } finally {
      await admin.disconnect();
    }
  };
  const unpublishedIds = async () =>
    (
      await db.query<{ id: string }>(
        'SELECT id FROM outbox WHERE published_at IS NULL ORDER BY position',
      )
    ).map((r) => r.id);

  beforeAll(async () => {
    db = await createOutboxSchema();
    const admin = testKafka(`outbox-crash-test-${uniqueSuffix()}`).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();
    collector = await TopicCollector.start(topic);
  });
  afterAll(async () => {
    for (const child of children)
      if (child.child.exitCode === null && !child.child.signalCode) child.child.kill('SIGKILL');
    await Promise.all(relays.map((r) => r.stop()));
    await collector.stop();
    await db.drop();
    await deleteTopic(topic);
  });

  const guilds = [newGuildId(), newGuildId(), newGuildId()];
  const phaseA = interleavedEvents(guilds, 10);
  const phaseB = interleavedEvents(guilds, 7, 100);

  it('after Kafka acknowledged a batch but before marking it: the standby re-sends it, nothing is lost', async () => {
    const child = RelayProcess.spawn({
      schema: db.schema,
      topic,
      lockKey: lockKey.toString(),
      batchSize: 10,
      crash: 'after-publish',
    });
    children.push(child);
    await waitFor(
      'the child relay to lead',
      () => child.lines.some((l) => l.status === 'leader'),
      30_000,
    );
    const standby = inProcessRelay();
    standby.start();
    await waitFor('the in-process relay to stand by', () => standby.status === 'standby');

    for (let i = 0; i < phaseA.length; i += 10) await db.commit(...phaseA.slice(i, i + 10));
    const [code, signal] = await child.exited;
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGKILL' });
    const died = child.line('dying') as { dying: string; positions: string[] };
    expect(died.dying).toBe('after-publish');
    expect(died.positions).toHaveLength(10);

    // The lock died with the process; the standby takes over and publishes everything.
    await collector.waitForIds(phaseA.map((e) => e.id));
    expect(standby.status).toBe('leader');
    await waitFor('every row marked published', async () => (await unpublishedIds()).length === 0);

    // The batch Kafka had acknowledged went out twice (at least once), everything else once.
    const firstBatch = phaseA.slice(0, 10).map((e) => e.id);
    const counts = new Map<string, number>();
    for (const id of collector.ids()) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect(
      [...counts.entries()]
        .filter(([, n]) => n > 1)
        .map(([id]) => id)
        .sort(),
    ).toEqual([...firstBatch].sort());
    expect(collector.messages).toHaveLength(phaseA.length + firstBatch.length);
    // A consumer that deduplicates on the event id sees each event once, in commit order per guild.
    expect(firstSeenOrderByGuild(collector.messages)).toEqual(expectedOrderByGuild(phaseA));
    await standby.stop();
  });

  it('before publishing anything: the rows wait, unpublished, and the next relay sends each once', async () => {
    await db.commit(...phaseB);
    const publishedBefore = await highWatermarks();
    expect(publishedBefore).toBe(phaseA.length + 10);

    const child = RelayProcess.spawn({
      schema: db.schema,
      topic,
      lockKey: lockKey.toString(),
      batchSize: 10,
      crash: 'before-publish',
    });
    children.push(child);
    const [code, signal] = await child.exited;
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGKILL' });
    expect(child.line('dying')).toMatchObject({ dying: 'before-publish' });
    // Nothing reached Kafka and every row still waits.
    expect(await highWatermarks()).toBe(publishedBefore);
    expect(await unpublishedIds()).toEqual(phaseB.map((e) => e.id));

    const next = inProcessRelay();
    next.start();
    await collector.waitForIds(phaseB.map((e) => e.id));
    await waitFor('every row marked published', async () => (await unpublishedIds()).length === 0);
    const phaseBMessages = collector.messages.filter((m) =>
      phaseB.some((e) => e.id === m.envelope.id),
    );
    expect(phaseBMessages).toHaveLength(phaseB.length);

    // Over both crashes: deduplicated by id, every event exactly once, each guild in commit order.
    const all = [...phaseA, ...phaseB];
    expect(new Set(collector.ids())).toEqual(new Set(all.map((e) => e.id)));
    expect(firstSeenOrderByGuild(collector.messages)).toEqual(expectedOrderByGuild(all));
  });
});

/**
 * An outbox relay in a process of its own, for the crash tests. Run with
 * `tsx --tsconfig tsconfig.check.json relay-child.ts '<json>'` where the JSON holds
 * `{ schema, topic, lockKey, batchSize, crash }`; `crash` is where the process SIGKILLs itself:
 * `after-publish` (Kafka acknowledged the first batch, rows not yet marked), `before-publish`
 * (the first batch never reached Kafka) or `none`.
 * It reports each status change as a JSON line on stdout; SIGTERM stops it gracefully.
 */
import { endpoints } from '@echopulse/infra';
import { createLogger } from '@echopulse/service-kit';
import { OutboxRelay } from '../../src/outbox/outbox.relay';
import { pgConfigFor } from './outbox-testing';

interface ChildOptions {
  schema: string;
  topic: string;
  lockKey: string;
  batchSize: number;
  crash: 'after-publish' | 'before-publish' | 'none';
}

const options = JSON.parse(process.argv[2] ?? '{}') as ChildOptions;
const report = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);
const die = (rows: readonly { position: string }[]) => {
  report({ dying: options.crash, positions: rows.map((r) => r.position) });
  // kill -9 on ourselves: no finally blocks, no graceful anything, like a power cut.
  process.kill(process.pid, 'SIGKILL');
};

const relay = new OutboxRelay({
  database: pgConfigFor(options.schema),
  kafka: { clientId: 'outbox-relay-child', brokers: [...endpoints.kafka.brokers] },
  topic: options.topic,
  batchSize: options.batchSize,
  pollIntervalMs: 200,
  standbyRetryMs: 100,
  lockKey: BigInt(options.lockKey),
  logger: createLogger('outbox-relay-child', 'warn'),
  hooks: {
    onStatus: (status) => report({ status }),
    beforePublish: options.crash === 'before-publish' ? die : undefined,
    afterPublish: options.crash === 'after-publish' ? die : undefined,
  },
});

process.on('SIGTERM', () => {
  void relay.stop().then(() => process.exit(0));
});
relay.start();

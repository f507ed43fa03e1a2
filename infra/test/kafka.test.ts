import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners, type LogEntry } from 'kafkajs';
import { endpoints } from '../src/endpoints';

describe('the real Kafka broker', () => {
  // kafkajs' own log is kept here and printed only for a test that fails: the refusal test
  // provokes broker errors on purpose, which kafkajs' console logger would print as errors with
  // long stack traces. Real failures still fail the tests: kafkajs rejects the operation's promise.
  const kafkaLog: LogEntry[] = [];
  const withKafkaLog = (body: () => Promise<void>) => async () => {
    const from = kafkaLog.length;
    try {
      await body();
    } catch (error) {
      const entries = kafkaLog
        .slice(from)
        .map(({ label, log }) => `${label} ${JSON.stringify(log)}`);
      console.error(`kafkajs logged during this test:\n${entries.join('\n') || '(nothing)'}`);
      throw error;
    }
  };
  const kafka = new Kafka({
    clientId: 'infra-test',
    brokers: [...endpoints.kafka.brokers],
    logLevel: logLevel.WARN,
    logCreator: () => (entry) => kafkaLog.push(entry),
  });
  const topic = `infra-test-${randomUUID()}`;
  const admin = kafka.admin();

  beforeAll(async () => {
    await admin.connect();
    // Auto-creation is off on the broker: topics exist only when code creates them.
    await admin.createTopics({
      topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
      waitForLeaders: true,
    });
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it(
    'refuses to auto-create a topic nobody created',
    withKafkaLog(async () => {
      const producer = kafka.producer({
        allowAutoTopicCreation: true,
        retry: { retries: 1 },
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      try {
        // The broker's own answer, not any failure (a refused connection would reject too).
        await expect(
          producer.send({
            topic: `never-created-${randomUUID()}`,
            messages: [{ value: 'x' }],
            timeout: 2000,
          }),
        ).rejects.toMatchObject({ cause: { type: 'UNKNOWN_TOPIC_OR_PARTITION' } });
      } finally {
        await producer.disconnect();
      }
    }),
  );

  it(
    'delivers a produced message (acks=all) to a consumer, key and headers intact',
    withKafkaLog(async () => {
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(metadata.topics[0]?.partitions).toHaveLength(3);

      const producer = kafka.producer({
        idempotent: true,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      const consumer = kafka.consumer({ groupId: `infra-test-${randomUUID()}` });
      await Promise.all([producer.connect(), consumer.connect()]);
      try {
        await consumer.subscribe({ topic, fromBeginning: true });
        const received = new Promise<{ key: string; value: string; header: string }>((resolve) => {
          void consumer.run({
            eachMessage: async ({ message }) =>
              resolve({
                key: message.key!.toString(),
                value: message.value!.toString(),
                header: message.headers!['trace']!.toString(),
              }),
          });
        });
        const [ack] = await producer.send({
          topic,
          acks: -1,
          messages: [{ key: 'channel-1', value: 'hello kafka', headers: { trace: 'abc' } }],
        });
        expect(ack?.errorCode).toBe(0);
        await expect(received).resolves.toEqual({
          key: 'channel-1',
          value: 'hello kafka',
          header: 'abc',
        });
      } finally {
        await Promise.all([producer.disconnect(), consumer.disconnect()]);
      }
    }),
  );
});

import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { endpoints } from '../src/endpoints';

describe('the real Kafka broker', () => {
  const kafka = new Kafka({
    clientId: 'infra-test',
    brokers: [...endpoints.kafka.brokers],
    logLevel: logLevel.WARN,
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

  it('refuses to auto-create a topic nobody created', async () => {
    const producer = kafka.producer({ allowAutoTopicCreation: true, retry: { retries: 1 } });
    await producer.connect();
    try {
      await expect(
        producer.send({
          topic: `never-created-${randomUUID()}`,
          messages: [{ value: 'x' }],
          timeout: 2000,
        }),
      ).rejects.toThrow();
    } finally {
      await producer.disconnect();
    }
  });

  it('delivers a produced message (acks=all) to a consumer, key and headers intact', async () => {
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0]?.partitions).toHaveLength(3);

    const producer = kafka.producer({ idempotent: true });
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
  });
});

import type { Kafka } from 'kafkajs';
import type { Logger } from '../logging';

export interface TopicSpec {
  topic: string;
  partitions: number;
  replicationFactor: number;
}

/**
 * Creates a topic with its explicit partition count unless it exists (broker auto-creation is
 * off). Existence is checked first, so a normal start logs no kafkajs "topic exists" errors.
 */
export async function ensureTopic(kafka: Kafka, spec: TopicSpec, logger: Logger): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { topic, partitions, replicationFactor } = spec;
    if (!(await admin.listTopics()).includes(topic)) {
      const created = await admin.createTopics({
        topics: [{ topic, numPartitions: partitions, replicationFactor }],
        waitForLeaders: true,
      });
      if (created) logger.info({ topic, partitions, replicationFactor }, 'created a Kafka topic');
      return;
    }
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    const existing = metadata.topics[0]?.partitions.length;
    if (existing !== partitions) {
      // Not fatal: keys still map to partitions consistently; changing the count is an operation.
      logger.warn({ topic, existing, configured: partitions }, 'topic partition count differs');
    }
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

import { ConfigResourceTypes, type Kafka } from 'kafkajs';
import type { Logger } from '../logging';

export interface TopicSpec {
  topic: string;
  partitions: number;
  replicationFactor: number;
  /**
   * Topic-level settings (`cleanup.policy`, `retention.ms`, …) the topic must have: set when it
   * is created, and set again on an existing topic whose values differ.
   */
  config?: Record<string, string>;
}

/**
 * Creates a topic with its explicit partition count and settings unless it exists (broker
 * auto-creation is off). Existence is checked first, so a normal start logs no kafkajs "topic
 * exists" errors. An existing topic whose settings differ from `config` gets them (logged), so
 * the settings a service documents are the settings the broker applies. Answers true when the
 * topic was created by this call.
 */
export async function ensureTopic(kafka: Kafka, spec: TopicSpec, logger: Logger): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { topic, partitions, replicationFactor, config = {} } = spec;
    const configEntries = Object.entries(config).map(([name, value]) => ({ name, value }));
    if (!(await admin.listTopics()).includes(topic)) {
      const created = await admin.createTopics({
        topics: [{ topic, numPartitions: partitions, replicationFactor, configEntries }],
        waitForLeaders: true,
      });
      if (created)
        logger.info({ topic, partitions, replicationFactor, config }, 'created a Kafka topic');
      return created;
    }
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    const existing = metadata.topics[0]?.partitions.length;
    if (existing !== partitions) {
      // Not fatal: keys still map to partitions consistently; changing the count is an operation.
      logger.warn({ topic, existing, configured: partitions }, 'topic partition count differs');
    }
    if (configEntries.length) {
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [
          { type: ConfigResourceTypes.TOPIC, name: topic, configNames: Object.keys(config) },
        ],
      });
      const current = new Map(
        (described.resources[0]?.configEntries ?? []).map((e) => [e.configName, e.configValue]),
      );
      const differing = configEntries.filter((e) => current.get(e.name) !== e.value);
      if (differing.length) {
        // Kafka's (non-incremental) AlterConfigs replaces the topic's overrides: send them all.
        await admin.alterConfigs({
          validateOnly: false,
          resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries }],
        });
        logger.info(
          {
            topic,
            changed: Object.fromEntries(
              differing.map((e) => [e.name, { from: current.get(e.name), to: e.value }]),
            ),
          },
          'set the settings of a Kafka topic',
        );
      }
    }
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

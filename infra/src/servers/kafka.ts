import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaLibs, ensureDownloads, versions } from '../downloads';
import { endpoints } from '../endpoints';
import { javaHome } from '../java';
import { dataDir, logFile, pidFile } from '../paths';
import { delay, runOnce, startDaemon } from '../process';
import { say } from '../report';
import type { InfraServer } from './server';

const [broker] = endpoints.kafka.brokers;

const adminClient = () =>
  new Kafka({
    clientId: 'echopulse-infra',
    brokers: [...endpoints.kafka.brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    retry: { retries: 0 },
  }).admin();
const controller = `127.0.0.1:${endpoints.kafka.controllerPort}`;

/** A single node doing both KRaft roles; topics come only from the services' own code. */
function serverProperties(logDirs: string): string {
  return `# Written by infra/src/servers/kafka.ts on every start; edit that file instead.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@${controller}
listeners=PLAINTEXT://${broker},CONTROLLER://${controller}
advertised.listeners=PLAINTEXT://${broker}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=${logDirs}
auto.create.topics.enable=false
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=168
`;
}

const log4jProperties = `log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.org.apache.kafka.controller=INFO
`;

export const kafka: InfraServer = {
  name: 'kafka',
  address: `${broker} (KRaft, controller ${controller})`,
  startTimeoutMs: 120_000,
  stopSignal: 'SIGTERM', // controlled shutdown
  stopGraceMs: 30_000,

  async healthy() {
    const admin = adminClient();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      return cluster.brokers.length > 0;
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  },

  /**
   * Consumer groups need the group coordinator, which a fresh broker creates (with the
   * __consumer_offsets topic) on the first FindCoordinator request. Asking once here spares every
   * first consumer a round of "not the correct coordinator" retries.
   */
  async ensure() {
    const admin = adminClient();
    try {
      await admin.connect();
      const deadline = Date.now() + 60_000;
      for (;;) {
        try {
          await admin.describeGroups(['echopulse-infra-warm-up']);
          return;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await delay(250);
        }
      }
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  },

  async start() {
    ensureDownloads();
    const root = dataDir('kafka');
    const logDirs = join(root, 'logs');
    const props = join(root, 'server.properties');
    const log4j = join(root, 'log4j.properties');
    writeFileSync(props, serverProperties(logDirs));
    writeFileSync(log4j, log4jProperties);
    const home = javaHome('kafka');
    const java = join(home, 'bin/java');
    const classpath = `${kafkaLibs}/*`;
    const logging = `-Dlog4j.configuration=file:${log4j}`;
    if (!existsSync(join(logDirs, 'meta.properties'))) {
      // KRaft storage must be formatted once with a cluster id (16 random bytes, base64url).
      const clusterId = randomBytes(16).toString('base64url');
      say('kafka', `formatting KRaft storage (cluster ${clusterId})`);
      runOnce(java, [
        '-cp',
        classpath,
        logging,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        clusterId,
        '-c',
        props,
      ]);
    }
    say('kafka', `starting Kafka ${versions.kafka}`);
    return startDaemon({
      command: java,
      args: [
        '-Xms128m',
        '-Xmx512m',
        '-XX:+UseG1GC',
        '-Djava.awt.headless=true',
        '-cp',
        classpath,
        logging,
        'kafka.Kafka',
        props,
      ],
      logPath: logFile('kafka'),
      pidPath: pidFile('kafka'),
    });
  },
};

import { randomBytes } from 'node:crypto';
import { parseServerEvent, type ServerEvent } from '@echopulse/guild-contracts';
import { endpoints } from '@echopulse/infra';
import { waitFor } from '@echopulse/infra/testing';
import { createLogger } from '@echopulse/service-kit';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { pgClientConfig } from '../src/db/data-source';
import { OutboxRelay } from '../src/outbox';
import { loginAll, type User } from '../src/testing/api-client';
import { createGuild } from '../src/testing/factories';
import { startTestApp, type TestApp } from '../src/testing/test-app';

describe('events on Kafka through the outbox relay', () => {
  const topic = `server.events.test-${randomBytes(4).toString('hex')}`;
  let app: TestApp;
  let relay: OutboxRelay;
  let consumer: Consumer;
  let alice: User, bob: User;
  const received: { key: string; event: ServerEvent }[] = [];
  const kafka = new Kafka({
    clientId: 'server-service-events-test',
    brokers: [...endpoints.kafka.brokers],
    logLevel: logLevel.NOTHING,
  });

  beforeAll(async () => {
    app = await startTestApp();
    ({ alice, bob } = await loginAll(app.baseUrl));
    relay = new OutboxRelay({
      database: pgClientConfig(app.db),
      kafka: {
        clientId: 'server-service-events-test-relay',
        brokers: [...endpoints.kafka.brokers],
      },
      topic,
      partitions: 3,
      pollIntervalMs: 200,
      // a lock of its own: other suites' relays elect their own leaders
      lockKey: BigInt(`0x${randomBytes(6).toString('hex')}`),
      logger: createLogger('relay-test', 'silent'),
    });
    relay.start();
    consumer = kafka.consumer({ groupId: `events-test-${randomBytes(4).toString('hex')}` });
    await consumer.connect();
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await relay?.stop();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    await app?.close();
  });

  it('publishes every change of a guild, keyed by guild id, in order', async () => {
    const g = await createGuild(alice, [bob]);
    const role = (await alice.api.post(`/guilds/${g.id}/roles`, { name: 'r' })).body.id;
    await alice.api.put(`/guilds/${g.id}/members/${bob.id}/roles/${role}`);
    const channel = (await alice.api.post(`/guilds/${g.id}/channels`, { name: 'ev' })).body.id;
    await alice.api.patch(`/channels/${channel}`, { topic: 'events' });
    await alice.api.put(`/channels/${channel}/permissions/${role}`, {
      type: 'role',
      allow: '2048',
    });
    await alice.api.patch(`/guilds/${g.id}/members/${bob.id}`, { nickname: 'B' });
    await alice.api.patch(`/guilds/${g.id}`, { name: 'Evented' });
    await alice.api.delete(`/guilds/${g.id}/members/${bob.id}`);
    await alice.api.put(`/guilds/${g.id}/bans/${bob.id}`, { reason: 'r' });
    await alice.api.delete(`/guilds/${g.id}/bans/${bob.id}`);
    await alice.api.delete(`/guilds/${g.id}/roles/${role}`);
    await alice.api.delete(`/channels/${channel}`);
    await alice.api.delete(`/guilds/${g.id}`);

    // the relay creates the topic with its first batch (auto-creation is off)
    const deadline = Date.now() + 30_000;
    while ((await relay.health()).publishedTotal === 0) {
      if (Date.now() > deadline) throw new Error('the relay published nothing in 30 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push({ key: message.key!.toString(), event: parseServerEvent(message.value) });
      },
    });
    const expected = [
      'guild.created',
      'member.joined',
      'role.created',
      'member.roles-changed',
      'channel.created',
      'channel.updated',
      'channel.overwrites-changed',
      'member.updated',
      'guild.updated',
      'member.kicked',
      'member.banned',
      'member.unbanned',
      'role.deleted',
      'channel.overwrites-changed',
      'channel.deleted',
      'guild.deleted',
    ];
    const events = await waitFor(
      'guild.deleted on the topic',
      () => {
        const mine = received.filter((r) => r.key === g.id);
        return mine.some((r) => r.event.type === 'guild.deleted') ? mine : undefined;
      },
      60_000,
      50,
    );
    // at least once: a redelivered event keeps its id; order is by first appearance
    const seen = new Set<string>();
    const firsts = events.filter((r) => !seen.has(r.event.id) && seen.add(r.event.id));
    expect(firsts.map((r) => r.event.type)).toEqual(expected);
    for (const { event } of firsts) {
      expect(event.subject).toBe(`guilds/${g.id}`);
      expect(event.source).toBe('/server-service');
    }
    const created = firsts[0]!.event;
    if (created.type !== 'guild.created') throw new Error('first event is not guild.created');
    expect(created.data.roles[0]!.id).toBe(g.id);
    expect(created.data.members.map((m) => m.userId)).toEqual([alice.id]);
    expect((await relay.health()).lag?.unpublished).toBe(0);
  });
});

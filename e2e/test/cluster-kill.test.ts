import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { endpoints } from '@echopulse/infra';
import { accessToken } from '@echopulse/infra/testing';
import type { IMessage } from '@stomp/stompjs';
import { Kafka, logLevel } from 'kafkajs';
import { ChatUser, startCluster, type Cluster } from '@echopulse/bench/chat';
import { guildWithChannels, newId, subOf, type ChatMessage } from '@echopulse/chat-service/testing';

// Two chat-service processes (built dist/), real Kafka/Redis/Postgres/Keycloak. One is killed
// with SIGKILL while both users send: every acknowledged message must survive, and each client,
// reconnecting to the survivor with `after-seq`, must end with every message exactly once, in order.

const root = join(__dirname, '../..');
const logDir = join(root, 'test-results/chat-service/cluster-kill');

/** The instances' own warnings and errors, without kafkajs' rebalancing chatter. */
function warnings(): string[] {
  return readdirSync(logDir).flatMap((file) =>
    readFileSync(join(logDir, file), 'utf8')
      .split('\n')
      .filter((line) => line.includes('"level":') && !line.includes('"logger":"kafkajs"'))
      .map((line) => `${file}: ${line.slice(0, 400)}`),
  );
}

interface Participant {
  name: 'alice' | 'bob';
  token: string;
  user?: ChatUser;
  /** seq → message, as received (live or replayed). */
  received: Map<number, ChatMessage>;
  duplicates: number;
  outOfOrder: number;
  /** What arrived out of place: seq, the one expected, whether it was replayed. */
  anomalies: string[];
  lastSeq: number;
  /** nonce → seq of acknowledged sends. */
  acked: Map<string, number>;
  /** nonces sent and not yet acknowledged (resent after reconnecting). */
  unacked: Map<string, string>;
}

describe('chat-service cluster: kill -9 of one instance under load', () => {
  let cluster: Cluster;
  /** What the cluster harness said (a process that exited, cleanup trouble): shown on failure. */
  const clusterLog: string[] = [];
  const channelId = newId();
  const people: Participant[] = [];

  beforeAll(async () => {
    // The processes run the built service; tsc -b is incremental after the first build.
    execFileSync('npx', ['tsc', '-b', 'chat-service'], { cwd: root, stdio: 'inherit' });
    cluster = await startCluster({
      basePort: 20_000 + randomInt(2000) * 4,
      server: false,
      chatInstances: 2,
      chatEnv: { RATE_LIMIT_MESSAGES: '100000', ARCHIVER_ENABLED: 'true' },
      log: (line) => clusterLog.push(line),
      logDir,
    });
    for (const name of ['alice', 'bob'] as const) {
      people.push({
        name,
        token: await accessToken(name),
        received: new Map(),
        duplicates: 0,
        outOfOrder: 0,
        anomalies: [],
        lastSeq: 0,
        acked: new Map(),
        unacked: new Map(),
      });
    }
    const [alice, bob] = people as [Participant, Participant];
    const kafka = new Kafka({ brokers: [...endpoints.kafka.brokers], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    const event = guildWithChannels(
      { name: 'alice', id: subOf(alice.token) },
      [{ name: 'bob', id: subOf(bob.token) }],
      [{ id: channelId }],
    );
    await producer.send({
      topic: cluster.serverTopic,
      acks: -1,
      messages: [{ key: event.subject, value: JSON.stringify(event) }],
    });
    await producer.disconnect();
  }, 240_000);

  afterAll(async () => {
    await Promise.all(people.map((p) => p.user?.close()));
    await cluster?.stop();
  }, 60_000);

  const t0 = Date.now();
  const onMessage = (p: Participant) => (m: IMessage) => {
    if (m.headers.event && m.headers.event !== 'message.created') return;
    const message = JSON.parse(m.body) as ChatMessage;
    const how = `${m.headers.replay ? 'replayed' : 'live'} at ${Date.now() - t0} ms`;
    if (p.received.has(message.seq)) {
      p.duplicates++;
      p.anomalies.push(`duplicate ${message.seq} ${how}`);
    } else if (message.seq !== p.lastSeq + 1) {
      p.outOfOrder++;
      p.anomalies.push(`${message.seq} after ${p.lastSeq} ${how}`);
    }
    p.received.set(message.seq, message);
    p.lastSeq = Math.max(p.lastSeq, message.seq);
  };

  /** Connects to instance `n` and subscribes (after-seq = last seen); retries while refused. */
  async function enter(p: Participant, n: number): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const user = new ChatUser(p.name, cluster.chats[n]!.wsUrl!, p.token);
      try {
        await user.connect(10_000);
        const ok = await user.subscribe(`/topic/channels/${channelId}`, onMessage(p), {
          'after-seq': String(p.lastSeq),
        });
        if (ok) {
          p.user = user;
          return;
        }
      } catch {
        // the projection or the instance is not ready yet
      }
      await user.close().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`${p.name} could not join instance ${n + 1}`);
      await sleep(300);
    }
  }

  let counter = 0;
  function send(p: Participant, nonce = `${p.name}-${++counter}`): void {
    const content = p.unacked.get(nonce) ?? `${p.name} says ${counter}`;
    p.unacked.set(nonce, content);
    const user = p.user;
    if (!user?.client.connected) return; // resent after reconnecting
    void user
      .request(`/app/channels/${channelId}/messages`, JSON.stringify({ content, nonce }), {
        'content-type': 'application/json',
      })
      .then((ok) => {
        if (!ok) return;
        p.unacked.delete(nonce);
        p.acked.set(nonce, -1);
      });
  }

  it('loses no acknowledged message, and every client ends with each exactly once', async () => {
    const [alice, bob] = people as [Participant, Participant];
    await enter(alice, 0);
    await enter(bob, 1);

    const traffic = setInterval(() => {
      send(alice);
      send(bob);
    }, 20);
    await sleep(2000);
    cluster.chats[0]!.child.kill('SIGKILL');
    // alice's socket dies with instance 1; she reconnects to the survivor and replays.
    await sleep(300);
    await enter(alice, 1);
    for (const nonce of [...alice.unacked.keys()]) send(alice, nonce);
    await sleep(2000);
    clearInterval(traffic);
    // Settle: every unacknowledged send is resent with its nonce until acknowledged.
    const settleBy = Date.now() + 20_000;
    while ([alice, bob].some((p) => p.unacked.size > 0) && Date.now() < settleBy) {
      for (const p of [alice, bob]) for (const nonce of [...p.unacked.keys()]) send(p, nonce);
      await sleep(500);
    }
    expect([alice.unacked.size, bob.unacked.size]).toEqual([0, 0]);

    const ackedCount = alice.acked.size + bob.acked.size;
    expect(ackedCount).toBeGreaterThan(100);
    // Every client catches up to the same, gap-free sequence holding every acknowledged message.
    const deadline = Date.now() + 20_000;
    while ([alice, bob].some((p) => p.received.size < ackedCount) && Date.now() < deadline)
      await sleep(200);
    for (const p of [alice, bob]) {
      // On failure, the instances' warnings (a replay gap, a consumer crash) say why.
      expect({
        who: p.name,
        anomalies: p.anomalies,
        ...(p.anomalies.length ? { warnings: warnings(), clusterLog } : {}),
      }).toEqual({ who: p.name, anomalies: [] });
      expect([p.duplicates, p.outOfOrder]).toEqual([0, 0]);
      const seqs = [...p.received.keys()].sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: ackedCount }, (_, i) => i + 1));
      const contents = new Set([...p.received.values()].map((m) => m.content));
      const missing = [alice, bob].flatMap((q) =>
        [...q.acked.keys()]
          .map((nonce) => `${q.name} says ${nonce.split('-')[1]}`)
          .filter((content) => !contents.has(content)),
      );
      expect({ who: p.name, missing }).toEqual({ who: p.name, missing: [] });
    }

    // The history REST of the survivor serves them too (archive or Redis), in order.
    const history: ChatMessage[] = [];
    for (let after = 0; ;) {
      const res = await fetch(
        `${cluster.chats[1]!.baseUrl}/api/channels/${channelId}/messages?after=${after}&limit=100`,
        { headers: { authorization: `Bearer ${bob.token}` } },
      );
      expect(res.status).toBe(200);
      const page = (await res.json()) as ChatMessage[];
      if (page.length === 0) break;
      history.push(...page);
      after = page[page.length - 1]!.seq;
    }
    expect(history.map((m) => m.seq)).toEqual(Array.from({ length: ackedCount }, (_, i) => i + 1));
  }, 120_000);
});

// Guild events' latency: from server-service's REST response to the affected clients' MESSAGE on
// /user/queue/guild-events, with one server-service and two chat-service instances (processes
// from dist/, as in production) and a client on each instance. Issue #12 asks p99 ≤ 1 s.
//
//   npm run bench:guild-events -w bench [-- --changes 200 --port 9400 --no-build]
//
// Each change is a PATCH (a channel's topic, or a role's name, alternately), made one after
// another; the latency of a change for a client is the time from the PATCH's response to that
// client's frame carrying the new value. Prints p50/p95/p99/max per instance and overall.
import { parseArgs } from 'node:util';
import { Client, type IMessage } from '@stomp/stompjs';
import WebSocket from 'ws';
import { accessToken } from '@echopulse/infra/testing';
import { build, startCluster } from './cluster';

const { values } = parseArgs({
  options: {
    changes: { type: 'string', default: '200' },
    port: { type: 'string', default: '9400' },
    'no-build': { type: 'boolean', default: false },
  },
});
const changes = Number(values.changes);
const log = (line: string) => process.stderr.write(`[bench:guild-events] ${line}\n`);
const nowMs = () => performance.timeOrigin + performance.now();

async function api<T>(base: string, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

interface Listener {
  name: string;
  client: Client;
  /** Arrival time of each frame, by "TYPE value" (the topic or role name it carries). */
  arrivals: Map<string, number>;
}

async function listen(name: string, wsUrl: string, token: string): Promise<Listener> {
  const arrivals = new Map<string, number>();
  const client = new Client({
    webSocketFactory: () => new WebSocket(wsUrl, ['v12.stomp']),
    connectHeaders: { Authorization: `Bearer ${token}` },
    reconnectDelay: 0,
    heartbeatIncoming: 0,
    heartbeatOutgoing: 0,
    debug: () => undefined,
  });
  await new Promise<void>((resolve, reject) => {
    client.onConnect = () => resolve();
    client.onStompError = (frame) => reject(new Error(frame.headers.message));
    client.activate();
  });
  const subscribed = new Promise<void>((resolve) => {
    client.subscribe('/user/queue/guild-events', (m: IMessage) => {
      const at = nowMs();
      const event = JSON.parse(m.body) as { type: string; data: { topic?: string; name?: string } };
      if (event.type === 'READY') resolve();
      const value = event.type === 'CHANNEL_UPDATE' ? event.data.topic : event.data.name;
      arrivals.set(`${event.type} ${value}`, at);
    });
  });
  await subscribed;
  return { name, client, arrivals };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const summary = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const f = (x: number) => `${x.toFixed(1)} ms`;
  return `n=${s.length} p50=${f(percentile(s, 50))} p95=${f(percentile(s, 95))} p99=${f(percentile(s, 99))} max=${f(s.at(-1)!)}`;
};

async function main(): Promise<void> {
  build(log, values['no-build']!);
  const cluster = await startCluster({ basePort: Number(values.port), chatInstances: 2, log });
  const listeners: Listener[] = [];
  try {
    const [alice, bob, carol] = await Promise.all(
      ['alice', 'bob', 'carol'].map((u) => accessToken(u)),
    );
    const base = cluster.server!.baseUrl;
    const guild = await api<{ id: string }>(base, alice!, 'POST', '/guilds', { name: 'latency' });
    const channel = await api<{ id: string }>(
      base,
      alice!,
      'POST',
      `/guilds/${guild.id}/channels`,
      {
        name: 'news',
      },
    );
    const role = await api<{ id: string }>(base, alice!, 'POST', `/guilds/${guild.id}/roles`, {
      name: 'role-0',
    });
    const invite = await api<{ code: string }>(
      base,
      alice!,
      'POST',
      `/guilds/${guild.id}/invites`,
      {
        maxUses: 0,
        maxAgeSeconds: 0,
      },
    );
    await api(base, bob!, 'POST', `/invites/${invite.code}`);
    await api(base, carol!, 'POST', `/invites/${invite.code}`);
    listeners.push(await listen('bob@chat-1', cluster.chats[0]!.wsUrl!, bob!));
    listeners.push(await listen('carol@chat-2', cluster.chats[1]!.wsUrl!, carol!));
    // the joins have reached both (the projection is live) before timing starts
    const settle = Date.now() + 30_000;
    while (
      listeners.some((l) => ![...l.arrivals.keys()].some((k) => k.startsWith('GUILD_MEMBER_ADD')))
    ) {
      if (Date.now() > settle) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const latencies = new Map<string, number[]>(listeners.map((l) => [l.name, []]));
    for (let i = 1; i <= changes; i++) {
      const value = `v${i}`;
      const key = i % 2 ? `CHANNEL_UPDATE ${value}` : `GUILD_ROLE_UPDATE ${value}`;
      if (i % 2) await api(base, alice!, 'PATCH', `/channels/${channel.id}`, { topic: value });
      else
        await api(base, alice!, 'PATCH', `/guilds/${guild.id}/roles/${role.id}`, { name: value });
      const answered = nowMs();
      const deadline = Date.now() + 10_000;
      while (listeners.some((l) => !l.arrivals.has(key)) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 2));
      }
      for (const l of listeners) {
        const at = l.arrivals.get(key);
        if (at === undefined) throw new Error(`${l.name} never got ${key} (10 s)`);
        latencies.get(l.name)!.push(Math.max(0, at - answered));
      }
      if (i % 50 === 0) log(`${i}/${changes} changes`);
    }
    const all = [...latencies.values()].flat();
    for (const [name, xs] of latencies) console.log(`${name}: ${summary(xs)}`);
    console.log(`all: ${summary(all)}`);
    const p99 = percentile(
      [...all].sort((a, b) => a - b),
      99,
    );
    console.log(
      `REST response -> MESSAGE p99 = ${p99.toFixed(1)} ms (target ≤ 1000 ms): ${p99 <= 1000 ? 'OK' : 'TOO SLOW'}`,
    );
  } finally {
    await Promise.all(listeners.map((l) => l.client.deactivate()));
    await cluster.stop();
  }
}

main().catch((error: unknown) => {
  log(`FAILED: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});

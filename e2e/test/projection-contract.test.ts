import { randomBytes } from 'node:crypto';
import {
  ALL_PERMISSIONS,
  DEFAULT_EVERYONE_PERMISSIONS,
  Permissions,
  REALM_ADMIN_OUTSIDER_PERMISSIONS,
  REALM_MODERATOR_PERMISSIONS,
  type ServerEventType,
} from '@echopulse/guild-contracts';
import { endpoints } from '@echopulse/infra';
import { waitFor } from '@echopulse/infra/testing';
import { createLogger, type Principal } from '@echopulse/service-kit';
import { Kafka, logLevel } from 'kafkajs';
import type { DataSource } from 'typeorm';
import {
  AccessChangeListener,
  AccessRepository,
  AccessService,
  createProjection,
  dropSchema,
  eventually,
  migratedDataSource,
  pgClientConfig,
  testDatabaseOptions,
  type AccessChange,
  type HandledRecord,
  type Projection,
} from '@echopulse/chat-service/testing';
import {
  createGuild,
  grantRole,
  loginAll,
  OutboxRelay,
  pgClientConfig as serverPgConfig,
  startTestApp,
  type TestApp,
  type User,
} from '@echopulse/server-service/testing';

// The contract between the two services, end to end: the real server-service (REST, outbox,
// relay) publishes to a topic of this run; chat-service's projection consumes it; chat-service's
// AccessService must then answer exactly what server-service's own permissions endpoint answers.

const run = randomBytes(4).toString('hex');
const topic = `chat-test.server-service-events.${run}`;
const silent = createLogger('projection-contract-test', process.env.TEST_LOG_LEVEL ?? 'silent');
const db = testDatabaseOptions();
let app: TestApp;
let relay: OutboxRelay;
let source: DataSource;
let projection: Projection;
let listener: AccessChangeListener;
let access: AccessService;
let users: Record<'alice' | 'bob' | 'carol' | 'mod' | 'admin', User>;
const handled: HandledRecord[] = [];
const changes: AccessChange[] = [];

/** Resolves once the projection has applied an event of this type for this guild. */
async function projected(
  type: ServerEventType,
  guildId: string,
  extra = (_: HandledRecord) => true,
) {
  const match = (h: HandledRecord) =>
    h.event?.type === type && h.event.subject === `guilds/${guildId}` && extra(h);
  await waitFor(`${type} of ${guildId} projected`, () => handled.some(match), 30_000, 50);
}

/** A principal as chat-service's CONNECT makes it from the same token. */
function principalOf(user: User): Principal {
  const claims = JSON.parse(Buffer.from(user.token.split('.')[1]!, 'base64url').toString()) as {
    sub: string;
    preferred_username: string;
    realm_access?: { roles?: string[] };
    exp: number;
  };
  return {
    id: claims.sub,
    username: claims.preferred_username,
    displayName: claims.preferred_username,
    roles: claims.realm_access?.roles ?? [],
    expiresAt: new Date(claims.exp * 1000),
  };
}

/** server-service's answer (decimal bitfield, or undefined for 404) beside chat-service's. */
async function both(user: User, channelId: string) {
  const res = await user.api.get(`/channels/${channelId}/permissions/@me`);
  if (res.status !== 200 && res.status !== 404) throw new Error(`permissions: ${res.status}`);
  const grant = await access.channel(principalOf(user), channelId);
  const visible = grant && (grant.permissions & Permissions.VIEW_CHANNEL) !== 0n;
  return {
    server: res.status === 200 ? (res.body.permissions as string) : undefined,
    chat: visible ? grant.permissions.toString() : undefined,
  };
}

beforeAll(async () => {
  app = await startTestApp();
  users = await loginAll(app.baseUrl);
  relay = new OutboxRelay({
    database: serverPgConfig(app.db),
    kafka: { clientId: `chat-contract-relay-${run}`, brokers: [...endpoints.kafka.brokers] },
    topic,
    partitions: 3,
    pollIntervalMs: 200,
    lockKey: BigInt(`0x${randomBytes(6).toString('hex')}`),
    logger: silent,
  });
  relay.start();
  source = await migratedDataSource(db);
  listener = new AccessChangeListener({ pg: pgClientConfig(db), logger: silent });
  listener.subscribe((change) => changes.push(change));
  await listener.start();
  access = new AccessService(new AccessRepository(source));
  projection = createProjection(
    {
      KAFKA_BROKERS: [...endpoints.kafka.brokers],
      KAFKA_CLIENT_ID: `chat-contract-${run}`,
      KAFKA_GROUP_PREFIX: `chat-contract-${run}.`,
      KAFKA_REPLICATION_FACTOR: 1,
      SERVER_EVENTS_TOPIC: topic,
    },
    source,
    silent,
    {
      onRecord: (record) => handled.push(record),
    },
  );
  await projection.start();
});

afterAll(async () => {
  await projection?.stop();
  await listener?.stop();
  await relay?.stop();
  const kafka = new Kafka({ brokers: [...endpoints.kafka.brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.deleteGroups([`chat-contract-${run}.projection`]).catch(() => undefined);
  await admin.disconnect();
  await app?.close();
  if (source) {
    await dropSchema(source, db.schema);
    await source.destroy();
  }
});

describe("chat-service's projection of the real server-service", () => {
  it("grants what server-service's permissions endpoint grants, through changes and a kick", async () => {
    const { alice, bob, carol, mod, admin } = users;
    const g = await createGuild(alice, [bob]);
    await projected('member.joined', g.id, (h) => JSON.stringify(h.event?.data).includes(bob.id));
    const everyone = [alice, bob, carol, mod, admin];
    const compare = async (channelIds: string[]) => {
      for (const user of everyone) {
        for (const channelId of channelIds) {
          const answer = await both(user, channelId);
          expect({ user: user.name, channelId, ...answer }).toEqual({
            user: user.name,
            channelId,
            server: answer.server,
            chat: answer.server,
          });
        }
      }
    };
    await compare([g.generalId]);
    // Not vacuous: every kind of answer is among them.
    const general = Object.fromEntries(
      await Promise.all(everyone.map(async (u) => [u.name, (await both(u, g.generalId)).chat])),
    );
    expect(general).toEqual({
      alice: ALL_PERMISSIONS.toString(),
      bob: DEFAULT_EVERYONE_PERMISSIONS.toString(),
      carol: undefined,
      // Non-members: only what their realm roles give there, never SEND_MESSAGES.
      mod: REALM_MODERATOR_PERMISSIONS.toString(),
      admin: REALM_ADMIN_OUTSIDER_PERMISSIONS.toString(),
    });
    expect(await access.canViewGuild(principalOf(bob), g.id)).toBe(true);
    expect(await access.canViewGuild(principalOf(carol), g.id)).toBe(false);
    expect(await access.canViewGuild(principalOf(mod), g.id)).toBe(true);

    // A private channel: @everyone may not see it, a role may; bob gets the role.
    const created = await alice.api.post(`/guilds/${g.id}/channels`, { name: 'staff-only' });
    expect(created.status).toBe(201);
    const staffOnly = created.body.id as string;
    const roleId = await grantRole(alice, g.id, bob, {
      permissions: String(Permissions.MANAGE_MESSAGES),
    });
    expect(
      (
        await alice.api.put(`/channels/${staffOnly}/permissions/${g.id}`, {
          type: 'role',
          deny: String(Permissions.VIEW_CHANNEL),
        })
      ).status,
    ).toBeLessThan(300);
    expect(
      (
        await alice.api.put(`/channels/${staffOnly}/permissions/${roleId}`, {
          type: 'role',
          allow: String(Permissions.VIEW_CHANNEL),
        })
      ).status,
    ).toBeLessThan(300);
    await projected('channel.overwrites-changed', g.id, (h) =>
      JSON.stringify(h.event?.data).includes(roleId),
    );
    await compare([g.generalId, staffOnly]);
    expect((await both(bob, staffOnly)).chat).toBeDefined();
    expect((await both(carol, staffOnly)).chat).toBeUndefined();

    // Kicked: the projection notifies chat_access, and bob sees nothing any more.
    expect((await alice.api.delete(`/guilds/${g.id}/members/${bob.id}`)).status).toBe(204);
    await projected('member.kicked', g.id);
    const kick = { guildId: g.id, userId: bob.id, cause: 'member.kicked' };
    // The NOTIFY follows the commit by a moment, on the listener's own connection.
    await eventually(
      async () => changes.filter((c) => c.guildId === g.id),
      (list) => list.some((c) => c.cause === 'member.kicked'),
    );
    expect(changes).toContainEqual(kick);
    expect(await access.channel(principalOf(bob), g.generalId)).toBeUndefined();
    await compare([g.generalId, staffOnly]);

    // Banned: realm roles give nothing there any more, on either service.
    for (const staff of [mod, admin]) {
      expect((await alice.api.put(`/guilds/${g.id}/bans/${staff.id}`, {})).status).toBe(200);
    }
    await projected('member.banned', g.id, (h) => JSON.stringify(h.event?.data).includes(admin.id));
    await compare([g.generalId, staffOnly]);
    for (const staff of [mod, admin]) {
      expect(await both(staff, g.generalId)).toEqual({ server: undefined, chat: undefined });
      expect(await access.canViewGuild(principalOf(staff), g.id)).toBe(false);
    }
  });
});

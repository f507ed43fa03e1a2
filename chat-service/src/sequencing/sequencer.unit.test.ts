import { SnowflakeGenerator } from '@echopulse/service-kit';
import { MemorySequencingStore } from '../../test/fakes/memory-sequencing.store';
import type { ChatRecord } from '../messages/chat-message';
import {
  MAX_BATCH,
  NotOwner,
  Sequencer,
  type MakeChange,
  type MessageDraft,
  type SequencerOptions,
} from './sequencer';

// The sequencer's decisions over an in-memory store and a recording "Kafka": batching, nonces,
// pending records first, letting go. test/sequencer.test.ts runs it against the real Postgres.

const draft = (channelId: string, content: string, authorId = 'u1'): MessageDraft => ({
  channelId,
  guildId: '1',
  author: { id: authorId, username: authorId },
  content,
  mentions: { users: [], everyone: false },
});

const created = (channelId: string, seq: number, nonce: string): ChatRecord => ({
  type: 'message.created',
  nonce,
  message: {
    id: `old-${seq}`,
    seq,
    channelId,
    guildId: '1',
    author: { id: 'u0', username: 'u0' },
    content: `old ${seq}`,
    mentions: { users: [], everyone: false },
    createdAt: '2026-01-01T00:00:00.000Z',
  },
});

/** A promise with its resolve, to hold "Kafka" or to await a callback. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('Sequencer (in-memory store)', () => {
  let store: MemorySequencingStore;
  let produced: { channelId: string; records: ChatRecord[] }[];
  /** Each produce waits for this gate when set, and fails while failNext > 0. */
  let gate: Promise<void> | undefined;
  let failNext: number;
  let released: string[];
  let sequencer: Sequencer;

  const editOnly: MakeChange = async (_channelId, request) => {
    if (request.kind === 'settle') return undefined;
    if (request.kind === 'delete') throw new Error('refused');
    const message = (await store.byId(request.messageId))!;
    return { type: 'message.updated', message: { ...message, content: request.content } };
  };

  function start(options: SequencerOptions = {}): Sequencer {
    sequencer = new Sequencer(
      store,
      new SnowflakeGenerator(3),
      async (channelId, records) => {
        await gate;
        if (failNext > 0) {
          failNext--;
          throw new Error('Kafka is down');
        }
        produced.push({ channelId, records });
      },
      editOnly,
      { idleMs: 60_000, onReleased: (c) => released.push(c), ...options },
    );
    return sequencer;
  }

  beforeEach(() => {
    store = new MemorySequencingStore();
    produced = [];
    gate = undefined;
    failNext = 0;
    released = [];
  });

  afterEach(() => sequencer.stop());

  const seqs = (records: ChatRecord[]) => records.map((r) => r.message.seq);

  it('sequences concurrent sends in batches of at most MAX_BATCH, in order, one produce per statement', async () => {
    start();
    const hold = deferred();
    gate = hold.promise;
    const count = 2 * MAX_BATCH + 1;
    const sends = Array.from({ length: count }, (_, i) =>
      sequencer.create(draft('10', `m${i}`), `n${i}`),
    );
    // The first send's tick waits on Kafka; everything else queues behind it.
    await new Promise((resolve) => setImmediate(resolve));
    hold.resolve();
    const results = await Promise.all(sends);

    expect(results.map((r) => r.message.seq)).toEqual(
      Array.from({ length: count }, (_, i) => i + 1),
    );
    expect(results.map((r) => r.message.content)).toEqual(sends.map((_, i) => `m${i}`));
    expect(store.statements.map((rows) => rows.length)).toEqual([1, MAX_BATCH, MAX_BATCH]);
    expect(produced.map((p) => p.records.length)).toEqual([1, MAX_BATCH, MAX_BATCH]);
    expect(produced.flatMap((p) => seqs(p.records))).toEqual(results.map((r) => r.message.seq));
  });

  it('sequences several channels in one statement, each with its own counter', async () => {
    start();
    const hold = deferred();
    gate = hold.promise;
    const first = sequencer.create(draft('20', 'a'), 'a');
    await new Promise((resolve) => setImmediate(resolve));
    const more = [
      sequencer.create(draft('20', 'b'), 'b'),
      sequencer.create(draft('21', 'c'), 'c'),
      sequencer.create(draft('21', 'd'), 'd'),
    ];
    await new Promise((resolve) => setImmediate(resolve));
    hold.resolve();
    const [a, b, c, d] = await Promise.all([first, ...more]);
    expect([a, b, c, d].map((r) => [r!.message.channelId, r!.message.seq])).toEqual([
      ['20', 1],
      ['20', 2],
      ['21', 1],
      ['21', 2],
    ]);
    expect(store.statements.map((rows) => rows.map((r) => r.channel_id))).toEqual([
      ['20'],
      ['20', '21', '21'],
    ]);
  });

  it('numbers a nonce once: a second send of it, in the same tick or later, answers the original as a duplicate', async () => {
    start();
    const hold = deferred();
    gate = hold.promise;
    const warmUp = sequencer.create(draft('30', 'warm-up'), 'w');
    await new Promise((resolve) => setImmediate(resolve));
    // Both queue behind the warm-up's produce, so they are sequenced in the same tick.
    const both = Promise.all([
      sequencer.create(draft('30', 'first'), 'same'),
      sequencer.create(draft('30', 'second'), 'same'),
    ]);
    await new Promise((resolve) => setImmediate(resolve));
    hold.resolve();
    await warmUp;
    const [one, two] = await both;
    const later = await sequencer.create(draft('30', 'third'), 'same');

    expect(store.statements.slice(0, 2).map((rows) => rows.map((r) => r.nonce))).toEqual([
      ['w'],
      ['same', 'same'],
    ]);
    expect(one).toEqual({
      message: expect.objectContaining({ seq: 2, content: 'first' }),
      duplicate: false,
    });
    expect(two).toEqual({ message: one.message, duplicate: true });
    expect(later).toEqual({ message: one.message, duplicate: true });
    expect(produced.flatMap((p) => seqs(p.records))).toEqual([1, 2]);
    expect((await sequencer.create(draft('30', 'next'), 'other')).message.seq).toBe(3);
  });

  it("produces a predecessor's pending records first, and clears pending when it lets the channel go", async () => {
    store.counters.set('40', 2);
    store.pending.set('40', [created('40', 1, 'p1'), created('40', 2, 'p2')]);
    start();

    const { message } = await sequencer.create(draft('40', 'new'), 'n');
    expect(message.seq).toBe(3);
    expect(produced).toEqual([
      { channelId: '40', records: [...store.pending.get('40')!.slice(0, 2), expect.anything()] },
    ]);
    expect(seqs(produced[0]!.records)).toEqual([1, 2, 3]);

    sequencer.letGo('40');
    await waitFor(() => released.includes('40'));
    expect(store.unlocks).toEqual([{ channelId: '40', clearPending: true }]);
    expect(store.pending.has('40')).toBe(false);
    expect(sequencer.owns('40')).toBe(false);
  });

  it('keeps records a failed produce left unproduced and sends them first next time', async () => {
    start();
    failNext = 1;
    await expect(sequencer.create(draft('50', 'lost?'), 'f1')).rejects.toThrow('Kafka is down');
    const next = await sequencer.create(draft('50', 'next'), 'f2');

    expect(next.message.seq).toBe(2);
    expect(produced).toHaveLength(1);
    expect(produced[0]!.records.map((r) => [r.message.seq, r.message.content])).toEqual([
      [1, 'lost?'],
      [2, 'next'],
    ]);
    // The statement kept the unproduced record pending ahead of the new one.
    expect(seqs(store.pending.get('50')!)).toEqual([1, 2]);
  });

  it('letting go after a failed produce tries Kafka again first; if it still fails, pending stays', async () => {
    start();
    failNext = 2;
    await expect(sequencer.create(draft('51', 'lost?'), 'g1')).rejects.toThrow('Kafka is down');
    sequencer.letGo('51');
    await waitFor(() => released.includes('51'));
    expect(store.unlocks).toEqual([{ channelId: '51', clearPending: false }]);
    expect(seqs(store.pending.get('51')!)).toEqual([1]);
  });

  it('keeps an idle channel until idleMs, then lets it go; letGo does it at once', async () => {
    start({ idleMs: 150 });
    await sequencer.create(draft('60', 'a'), 'a');
    await sequencer.create(draft('61', 'b'), 'b');
    sequencer.letGo('61');
    await waitFor(() => released.includes('61'));
    expect(sequencer.ownedChannels).toEqual(['60']);
    await waitFor(() => released.includes('60'));
    expect(sequencer.ownedChannels).toEqual([]);
  });

  it('letGo runs what is queued for the channel first', async () => {
    start();
    const hold = deferred();
    gate = hold.promise;
    const send = sequencer.create(draft('62', 'queued'), 'q');
    await new Promise((resolve) => setImmediate(resolve));
    sequencer.letGo('62');
    expect(sequencer.owns('62')).toBe(true);
    hold.resolve();
    expect((await send).message.seq).toBe(1);
    await waitFor(() => released.includes('62'));
    expect(store.unlocks).toEqual([{ channelId: '62', clearPending: true }]);
  });

  it('refuses with NotOwner a channel whose lock another instance holds', async () => {
    start();
    store.lockElsewhere('70');
    await expect(sequencer.create(draft('70', 'x'), 'x')).rejects.toBeInstanceOf(NotOwner);
    expect(store.statements).toEqual([]);
  });

  it('produces a change after the messages sequenced before it; a refused change leaves the channel working', async () => {
    start();
    const hold = deferred();
    gate = hold.promise;
    const first = sequencer.create(draft('80', 'hello'), 'h');
    await new Promise((resolve) => setImmediate(resolve));
    hold.resolve();
    const { message } = await first;
    const [edit, refused, after] = await Promise.allSettled([
      sequencer.change('80', {
        kind: 'edit',
        messageId: message.id,
        actorId: 'u1',
        content: 'hello!',
        mentions: message.mentions,
      }),
      sequencer.change('80', {
        kind: 'delete',
        messageId: message.id,
        actorId: 'u2',
        mayModerate: false,
      }),
      sequencer.create(draft('80', 'after'), 'a'),
    ]);
    expect(edit).toEqual({
      status: 'fulfilled',
      value: expect.objectContaining({ type: 'message.updated' }),
    });
    expect(refused).toEqual({ status: 'rejected', reason: new Error('refused') });
    expect(after).toEqual({
      status: 'fulfilled',
      value: expect.objectContaining({ duplicate: false }),
    });
    expect(produced.flatMap((p) => p.records.map((r) => `${r.type}:${r.message.content}`))).toEqual(
      ['message.created:hello', 'message.updated:hello!', 'message.created:after'],
    );
  });

  it('when the session dies, queued work fails, every channel is let go and the next owner produces pending first', async () => {
    start();
    await sequencer.create(draft('90', 'a'), 'a');
    const hold = deferred();
    gate = hold.promise;
    const running = sequencer.create(draft('90', 'b'), 'b');
    await new Promise((resolve) => setImmediate(resolve));
    const queued = sequencer.create(draft('90', 'c'), 'c');
    await new Promise((resolve) => setImmediate(resolve));
    store.loseSessions(new Error('connection reset'));
    await expect(queued).rejects.toThrow('connection reset');
    expect(released).toEqual(['90']);
    expect(sequencer.owns('90')).toBe(false);
    hold.resolve();
    // The produce under way when it died still completes (its seq was committed).
    expect((await running).message.seq).toBe(2);
    gate = undefined;
    // Claimed again: `pending` still holds b (never cleared), which goes out again first.
    expect((await sequencer.create(draft('90', 'd'), 'd')).message.seq).toBe(3);
    expect(seqs(produced.at(-1)!.records)).toEqual([2, 3]);
  });

  it('refuses every send once stopped, after letting every channel go', async () => {
    start();
    await sequencer.create(draft('95', 'a'), 'a');
    await sequencer.stop();
    expect(released).toEqual(['95']);
    expect(store.locks.size).toBe(0);
    await expect(sequencer.create(draft('95', 'b'), 'b')).rejects.toBeInstanceOf(NotOwner);
  });
});

/** Resolves once `condition` holds; fails after 2 s, naming what it waited for. */
async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${condition.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

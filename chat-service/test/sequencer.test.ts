import { SnowflakeGenerator } from '@echopulse/service-kit';
import type { DataSource } from 'typeorm';
import type { ChatRecord } from '../src/messages/chat-message';
import { Sequencer, type MakeChange, type MessageDraft } from '../src/sequencing/sequencer';
import { SequencingRepository } from '../src/sequencing/sequencing.repository';
import {
  dropSchema,
  migratedDataSource,
  testDatabaseOptions,
} from '../src/testing/projection-fixtures';

// The sequencer against the real Postgres, with Kafka replaced by a recording function that can
// be made to fail: what a failed or cut-off produce leaves behind, and how it is recovered.

describe('Sequencer', () => {
  const db = testDatabaseOptions();
  let source: DataSource;
  const produced: ChatRecord[][] = [];
  let failNext = 0;
  let sequencer: Sequencer;

  beforeAll(async () => {
    source = await migratedDataSource(db);
    sequencer = new Sequencer(
      new SequencingRepository(source),
      new SnowflakeGenerator(7),
      async (_key, records) => {
        if (failNext > 0) {
          failNext--;
          throw new Error('Kafka is down');
        }
        produced.push(records);
      },
      editOnly,
      { idleMs: 200 },
    );
  });

  /** Edits by the request's content; the rules of message-changes.ts are tested in chat.test. */
  const editOnly: MakeChange = async (_channelId, request) => {
    if (request.kind !== 'edit') return undefined;
    const message = (await sequencer.byId(request.messageId))!;
    return {
      type: 'message.updated',
      message: { ...message, content: request.content, editedAt: new Date().toISOString() },
    };
  };

  afterAll(async () => {
    await sequencer.stop();
    await dropSchema(source, db.schema);
    await source.destroy();
  });

  const draft = (channelId: string, content: string): MessageDraft => ({
    channelId,
    guildId: '1',
    author: { id: 'u1', username: 'alice' },
    content,
    mentions: { users: [], everyone: false },
  });
  const seqsOf = (records: ChatRecord[]) => records.map((r) => r.message.seq);

  it('gives concurrent sends of one channel gap-free seqs, in batches, in the order they came', async () => {
    produced.length = 0;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => sequencer.create(draft('100', `m${i}`), `c-${i}`)),
    );
    expect(results.map((r) => r.message.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(results.map((r) => r.message.content)).toEqual(results.map((_, i) => `m${i}`));
    expect(produced.flat().map((r) => r.message.seq)).toEqual(results.map((r) => r.message.seq));
    expect(produced.length).toBeLessThan(50); // batched
  });

  it('answers a resent nonce with the original, even within one batch', async () => {
    const [a, b] = await Promise.all([
      sequencer.create(draft('101', 'first'), 'same'),
      sequencer.create(draft('101', 'second'), 'same'),
    ]);
    expect(a!.duplicate).toBe(false);
    expect(b).toEqual({ message: a!.message, duplicate: true });
    const again = await sequencer.create(draft('101', 'third'), 'same');
    expect(again).toEqual({ message: a!.message, duplicate: true });
  });

  it('lets one channel win a nonce reused on two channels at once, with no seq used by the other', async () => {
    const [a, b] = await Promise.all([
      sequencer.create(draft('104', 'here'), 'twice'),
      sequencer.create(draft('105', 'there'), 'twice'),
    ]);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    expect(a.message).toEqual(b.message);
    const loser = a.duplicate ? '104' : '105';
    expect((await sequencer.create(draft(loser, 'next'), 'after-race')).message.seq).toBe(1);
  });

  it('keeps a claim whose produce failed pending, and produces it before the next message', async () => {
    produced.length = 0;
    failNext = 1;
    await expect(sequencer.create(draft('102', 'lost?'), 'p-1')).rejects.toThrow('Kafka is down');
    const [row] = (await source.query(
      `SELECT pending FROM channel_sequences WHERE channel_id = 102`,
    )) as [{ pending: ChatRecord[] }];
    expect(seqsOf(row.pending)).toEqual([1]);
    const next = await sequencer.create(draft('102', 'next'), 'p-2');
    expect(next.message.seq).toBe(2);
    // the pending record goes first, in the same request
    expect(produced.map(seqsOf)).toEqual([[1, 2]]);
    expect(produced[0]![0]!.message.content).toBe('lost?');
    // cleared when the owner lets the idle channel go
    let after: unknown = 'unread';
    for (let i = 0; i < 100 && after !== null; i++) {
      const rows = (await source.query(
        `SELECT pending FROM channel_sequences WHERE channel_id = 102`,
      )) as { pending: unknown }[];
      after = rows[0]!.pending;
      if (after !== null) await new Promise((r) => setTimeout(r, 10));
    }
    expect(after).toBeNull();
    // the client's resend of the failed one answers with it
    expect((await sequencer.create(draft('102', 'lost?'), 'p-1')).message.seq).toBe(1);
  });

  it('produces what is pending before an edit, and settle() alone produces it too', async () => {
    produced.length = 0;
    failNext = 1;
    await expect(sequencer.create(draft('103', 'a'), 'e-1')).rejects.toThrow();
    await sequencer.settle('103');
    expect(produced.map(seqsOf)).toEqual([[1]]);
    failNext = 1;
    await expect(sequencer.create(draft('103', 'b'), 'e-2')).rejects.toThrow();
    const original = (await sequencer.byNonce('u1', 'e-2'))!;
    await sequencer.change('103', {
      kind: 'edit',
      messageId: original.id,
      actorId: 'u1',
      content: 'b!',
      mentions: { users: [], everyone: false },
    });
    // in one request, the pending one first
    expect(produced.slice(1).map((records) => records.map((r) => r.type))).toEqual([
      ['message.created', 'message.updated'],
    ]);
  });
});

import { createLogger } from '@echopulse/service-kit';
import { Broker, memoryPair } from '@echopulse/stomp-broker';
import type { HistoryQuery, HistoryReader } from '../history/history.reader';
import type { ChatMessage } from '@echopulse/chat-contracts';
import { Replayer } from './replay';

// The replay's ordering logic on a real in-memory broker; history is a controllable stand-in so
// the test can deliver live records exactly while history is being read.

const message = (seq: number): ChatMessage => ({
  id: String(1000 + seq),
  seq,
  channelId: '7',
  guildId: '1',
  author: { id: 'u', username: 'u' },
  content: `m${seq}`,
  mentions: { users: [], everyone: false },
  createdAt: new Date(0).toISOString(),
});

const live = (broker: Broker, seq: number) =>
  broker.publishLocal('/topic/channels/7', JSON.stringify(message(seq)), [
    ['event', 'message.created'],
    ['seq', String(seq)],
  ]);

async function seqsReceived(client: ReturnType<typeof memoryPair>['client'], until: number) {
  const seqs = () =>
    client.received
      .map((m) => m.data.toString())
      .filter((f) => f.startsWith('MESSAGE'))
      .map((f) => Number(/\nseq:(\d+)/.exec(f)?.[1]));
  for (let i = 0; i < 400 && !seqs().includes(until); i++)
    await new Promise((r) => setTimeout(r, 5));
  return seqs();
}

describe('Replayer', () => {
  it('holds live records while history is read, then sends the rest once, in order', async () => {
    const broker = new Broker({ authenticate: () => ({ name: 'u' }) });
    let stored = [1, 2, 3, 4, 5].map(message);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const history = {
      read: async (_channel: string, q: HistoryQuery) => {
        await gate; // live records 5..8 arrive while this read is in flight
        return stored.filter((m) => m.seq > q.after!).slice(0, q.limit);
      },
    } as unknown as HistoryReader;
    const replayer = new Replayer(broker, history, createLogger('test', 'silent'));
    broker.useOutbound(replayer.interceptor);
    broker.useInbound((frame, session) => {
      if (frame.command === 'SUBSCRIBE') replayer.expect(session, 's1', '7', 2);
    });
    const { client, transport } = memoryPair();
    broker.accept(transport);
    client.send('CONNECT\naccept-version:1.2\nhost:x\n\n\0');
    client.send('SUBSCRIBE\nid:s1\ndestination:/topic/channels/7\n\n\0');
    await new Promise((r) => setTimeout(r, 20));
    stored = [1, 2, 3, 4, 5, 6].map(message); // 6 reached Redis before its live delivery
    for (const seq of [5, 6, 7, 8]) live(broker, seq);
    release();
    const seqs = await seqsReceived(client, 8);
    expect(seqs).toEqual([3, 4, 5, 6, 7, 8]);
    live(broker, 8); // a late duplicate (producer retry) is dropped
    live(broker, 9);
    expect(await seqsReceived(client, 9)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(replayer.waiting).toBe(0);
  });

  it('forgets an expected replay when the session ends before subscribing', async () => {
    const broker = new Broker({ authenticate: () => ({ name: 'u' }) });
    const replayer = new Replayer(broker, {} as HistoryReader, createLogger('test', 'silent'));
    const { client, transport } = memoryPair();
    const session = broker.accept(transport);
    client.send('CONNECT\naccept-version:1.2\nhost:x\n\n\0');
    await new Promise((r) => setTimeout(r, 20));
    replayer.expect(session, 's9', '7', 0);
    expect(replayer.waiting).toBe(1);
    client.send('DISCONNECT\n\n\0');
    for (let i = 0; i < 100 && replayer.waiting; i++) await new Promise((r) => setTimeout(r, 5));
    expect(replayer.waiting).toBe(0);
  });
});

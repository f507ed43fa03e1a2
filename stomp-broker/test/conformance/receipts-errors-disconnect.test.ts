import { once } from 'node:events';
// STOMP 1.2 "Header receipt", "RECEIPT", "ERROR", "DISCONNECT".
import { frame } from '../raw-client';
import { useBroker } from '../harness';

const t = useBroker();

describe('RECEIPT', () => {
  beforeEach(() => t.start());

  it('answers every kind of client frame that carries a receipt header', async () => {
    const a = await t.connect();
    const frames = [
      frame('SUBSCRIBE', { id: 's', destination: '/queue/r', ack: 'client', receipt: 'r1' }),
      frame('SEND', { destination: '/topic/r', receipt: 'r2' }, 'x'),
      frame('BEGIN', { transaction: 't', receipt: 'r3' }),
      frame('ABORT', { transaction: 't', receipt: 'r4' }),
      frame('BEGIN', { transaction: 'u', receipt: 'r5' }),
      frame('COMMIT', { transaction: 'u', receipt: 'r6' }),
      frame('ACK', { id: 'unknown', receipt: 'r7' }),
      frame('NACK', { id: 'unknown', receipt: 'r8' }),
      frame('UNSUBSCRIBE', { id: 's', receipt: 'r9' }),
    ];
    a.send(frames.join(''));
    const receipts = [];
    for (let i = 0; i < frames.length; i++) receipts.push(await a.next());
    expect(receipts.map((r) => [r.command, r.headers['receipt-id']])).toEqual(
      frames.map((_f, i) => ['RECEIPT', `r${i + 1}`]),
    );
  });
});

describe('ERROR', () => {
  beforeEach(() => t.start());

  it('has a message header, receipt-id when the frame had a receipt, then closes the socket', async () => {
    const a = await t.connect();
    a.send(frame('SEND', { destination: '/nowhere', receipt: 'bad-1' }, 'x'));
    const error = await a.next();
    expect(error.command).toBe('ERROR');
    expect(error.headers['receipt-id']).toBe('bad-1');
    expect(error.headers.message).toMatch(/Destinations start with/);
    expect(error.headers['content-type']).toBe('text/plain');
    expect(error.body.toString()).toMatch(/^unknown_destination: /);
    expect(await a.closed).toBe(1002);
  });

  it('reads no frame after the one that caused the ERROR', async () => {
    const watcher = await t.connect();
    watcher.send(frame('SUBSCRIBE', { id: 's', destination: '/topic/after', receipt: 'r' }));
    await watcher.next();
    const a = await t.connect();
    a.send(
      frame('SEND', { destination: '/nowhere' }) +
        frame('SEND', { destination: '/topic/after' }, 'late'),
    );
    expect((await a.next()).command).toBe('ERROR');
    await a.closed;
    expect(await watcher.sync()).toEqual([]);
  });
});

describe('DISCONNECT', () => {
  beforeEach(() => t.start());

  it('sends the RECEIPT before closing', async () => {
    const a = await t.connect();
    const gone = once(t.broker, 'disconnected');
    a.send(frame('DISCONNECT', { receipt: 'bye' }));
    expect(await a.next()).toMatchObject({ command: 'RECEIPT', headers: { 'receipt-id': 'bye' } });
    expect(await a.closed).toBe(1000);
    expect((await gone)[1]).toBe('client_disconnect');
  });

  it('closes at once without a receipt, after handling what came before', async () => {
    const watcher = await t.connect();
    watcher.send(frame('SUBSCRIBE', { id: 's', destination: '/topic/last', receipt: 'r' }));
    await watcher.next();
    const a = await t.connect();
    a.send(frame('SEND', { destination: '/topic/last' }, 'last words') + frame('DISCONNECT'));
    expect(await a.closed).toBe(1000);
    expect((await watcher.next()).body.toString()).toBe('last words');
  });
});

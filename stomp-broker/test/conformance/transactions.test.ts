// STOMP 1.2 "BEGIN", "COMMIT", "ABORT".
import { frame } from '../raw-client';
import { useBroker } from '../harness';

const t = useBroker();

describe('Transactions', () => {
  beforeEach(() => t.start());

  it('holds SENDs until COMMIT and forgets them on ABORT', async () => {
    const a = await t.connect();
    a.send(frame('SUBSCRIBE', { id: 's', destination: '/topic/tx' }));
    a.send(frame('BEGIN', { transaction: 't1' }));
    a.send(frame('SEND', { destination: '/topic/tx', transaction: 't1' }, 'kept'));
    a.send(frame('BEGIN', { transaction: 't2' }));
    a.send(frame('SEND', { destination: '/topic/tx', transaction: 't2' }, 'dropped'));
    expect(await a.sync()).toEqual([]);
    a.send(frame('ABORT', { transaction: 't2' }));
    a.send(frame('COMMIT', { transaction: 't1', receipt: 'c' }));
    expect((await a.next()).body.toString()).toBe('kept');
    expect((await a.next()).headers['receipt-id']).toBe('c'); // after the transaction's effects
    expect(await a.sync()).toEqual([]);
  });

  it('sends a RECEIPT for a SEND held in a transaction when asked', async () => {
    const a = await t.connect();
    a.send(frame('BEGIN', { transaction: 't' }));
    a.send(frame('SEND', { destination: '/topic/x', transaction: 't', receipt: 'held' }, 'x'));
    expect((await a.next()).headers['receipt-id']).toBe('held');
  });

  it('covers ACK and NACK', async () => {
    const a = await t.connect();
    a.send(frame('SUBSCRIBE', { id: 's', destination: '/queue/txa', ack: 'client-individual' }));
    a.send(frame('SEND', { destination: '/queue/txa' }, 'x'));
    const message = await a.next();
    a.send(frame('BEGIN', { transaction: 't' }));
    a.send(frame('NACK', { id: message.headers.ack!, transaction: 't' }));
    expect(await a.sync()).toEqual([]);
    a.send(frame('COMMIT', { transaction: 't' }));
    const again = await a.next();
    expect(again.headers.redelivered).toBe('true');
    a.send(frame('BEGIN', { transaction: 'u' }));
    a.send(frame('ACK', { id: again.headers.ack!, transaction: 'u' }));
    a.send(frame('ABORT', { transaction: 'u' })); // the ACK never happened
    a.close();
    await a.closed;
    const b = await t.connect();
    b.send(frame('SUBSCRIBE', { id: 's', destination: '/queue/txa' }));
    expect((await b.next()).body.toString()).toBe('x');
  });

  it('aborts open transactions on disconnect', async () => {
    const watcher = await t.connect();
    watcher.send(frame('SUBSCRIBE', { id: 's', destination: '/topic/abort', receipt: 'r' }));
    await watcher.next();
    const a = await t.connect();
    a.send(frame('BEGIN', { transaction: 't' }));
    a.send(
      frame('SEND', { destination: '/topic/abort', transaction: 't', receipt: 'held' }, 'never'),
    );
    await a.next();
    a.close();
    await a.closed;
    expect(await watcher.sync()).toEqual([]);
  });

  it.each([
    [
      'COMMIT of an unknown transaction',
      [frame('COMMIT', { transaction: 'nope' })],
      /^unknown_transaction/,
    ],
    [
      'ABORT of an unknown transaction',
      [frame('ABORT', { transaction: 'nope' })],
      /^unknown_transaction/,
    ],
    [
      'SEND in an unknown transaction',
      [frame('SEND', { destination: '/topic/x', transaction: 'n' })],
      /^unknown_transaction/,
    ],
    [
      'BEGIN twice',
      [frame('BEGIN', { transaction: 't' }), frame('BEGIN', { transaction: 't' })],
      /^duplicate_transaction/,
    ],
    ['BEGIN without transaction', [frame('BEGIN')], /^missing_header/],
  ])('refuses %s', async (_name, frames, code) => {
    const a = await t.connect();
    for (const f of frames) a.send(f);
    expect((await a.next()).body.toString()).toMatch(code);
    await a.closed;
  });
});

// STOMP 1.2 "Size Limits": a server may limit "the number of frame headers allowed in a single
// frame", "the maximum length of header lines" and "the maximum size of a frame body". The body
// limit counts the body's octets only; the command and headers are bounded by their own limits.
import { useBroker } from '../harness';
import { frame, type RawClient } from '../raw-client';

const t = useBroker();
const limit = 1024;
const limits = { maxBodySize: limit, maxHeaders: 8, maxHeaderLength: 1100 };

async function subscribed(destination: string): Promise<RawClient> {
  const c = await t.connect();
  c.send(frame('SUBSCRIBE', { id: 's', destination, receipt: 'sub' }));
  expect((await c.next()).headers['receipt-id']).toBe('sub');
  return c;
}

async function refused(c: RawClient, code: string): Promise<void> {
  const error = await c.next();
  expect(error.command).toBe('ERROR');
  expect(error.body.toString()).toMatch(new RegExp(`^${code}`));
  await c.closed;
}

describe('Size Limits: the body limit counts the body', () => {
  beforeEach(() => t.start({ limits }));

  it.each([
    ['with content-length', true],
    ['ended by its NUL', false],
  ])('accepts a body of exactly the limit (%s), whatever the headers add', async (_how, sized) => {
    const c = await subscribed('/queue/size');
    const body = 'b'.repeat(limit);
    // three long header lines: the whole frame is about 4 KiB, four times the body limit
    const headers: Record<string, string> = {
      destination: '/queue/size',
      'x-a': 'a'.repeat(1000),
      'x-b': 'b'.repeat(1000),
      'x-c': 'c'.repeat(1000),
      receipt: 'sent',
      ...(sized ? { 'content-length': String(limit) } : {}),
    };
    c.send(frame('SEND', headers, body));
    const first = await c.next();
    const second = await c.next();
    const message = first.command === 'MESSAGE' ? first : second;
    const receipt = first.command === 'RECEIPT' ? first : second;
    expect(receipt.headers['receipt-id']).toBe('sent');
    expect(message.body.toString()).toBe(body);
    expect(message.headers['x-c']).toBe('c'.repeat(1000));
  });

  it('accepts a body of exactly the limit with just a destination (stompjs\' "Large data" specs)', async () => {
    const c = await subscribed('/topic/size');
    const body = Buffer.alloc(limit, 0x62);
    c.send(frame('SEND', { destination: '/topic/size' }, body.toString()));
    expect((await c.next()).body).toEqual(body);
  });

  it.each([
    ['with content-length', true],
    ['ended by its NUL', false],
  ])(
    'refuses a body one octet over the limit (%s) with ERROR frame_too_large',
    async (_how, sized) => {
      const c = await t.connect();
      const body = 'b'.repeat(limit + 1);
      const headers: Record<string, string> = { destination: '/queue/size' };
      if (sized) headers['content-length'] = String(limit + 1);
      c.send(frame('SEND', headers, body));
      await refused(c, 'frame_too_large');
    },
  );

  it('still refuses a header line over its limit with a small body (header_too_long)', async () => {
    const c = await t.connect();
    c.send(frame('SEND', { destination: '/queue/size', 'x-long': 'x'.repeat(1100) }, 'b'));
    await refused(c, 'header_too_long');
  });

  it('still refuses more header lines than allowed with a small body (too_many_headers)', async () => {
    const c = await t.connect();
    const headers: Record<string, string> = { destination: '/queue/size' };
    for (let i = 0; i < 8; i++) headers[`x-${i}`] = String(i);
    c.send(frame('SEND', headers, 'b'));
    await refused(c, 'too_many_headers');
  });
});

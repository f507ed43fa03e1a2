// STOMP 1.2 "STOMP Frames", "Value Encoding", "Repeated Header Entries", "Size Limits",
// "Header content-length", "Header content-type", and the 1.1/1.0 differences in escaping.
import { frame, RawClient } from '../raw-client';
import { useBroker } from '../harness';

const t = useBroker();

async function connectAs(version: '1.0' | '1.1' | '1.2'): Promise<RawClient> {
  const c = await t.open([]);
  c.send(frame('CONNECT', { 'accept-version': version, host: 'h' }));
  expect((await c.next()).headers.version).toBe(version);
  return c;
}

async function subscribe(c: RawClient, destination: string, id = 's'): Promise<void> {
  c.send(frame('SUBSCRIBE', { id, destination, receipt: `sub-${id}` }));
  expect((await c.next()).headers['receipt-id']).toBe(`sub-${id}`);
}

describe('Header escaping per version', () => {
  beforeEach(() => t.start());

  it('1.2: unescapes \\r \\n \\c \\\\ on the way in and escapes them on the way out', async () => {
    const a = await connectAs('1.2');
    await subscribe(a, '/topic/e');
    a.send(frame('SEND', { destination: '/topic/e', 'x-odd': 'a\\cb\\nc\\\\d\\re' }, 'x'));
    const message = await a.next();
    expect(message.lines).toContain('x-odd:a\\cb\\nc\\\\d\\re');
  });

  it('1.1: has no \\r escape, so \\r is an undefined escape and fatal', async () => {
    const a = await connectAs('1.1');
    a.send(frame('SEND', { destination: '/topic/e', 'x-k': 'a\\rb' }, 'x'));
    expect((await a.next()).body.toString()).toMatch(/^invalid_escape/);
    await a.closed;
  });

  it('1.1: escapes \\n \\c \\\\ and sends a CR as it is', async () => {
    const sender = await connectAs('1.2');
    const a = await connectAs('1.1');
    await subscribe(a, '/topic/e11');
    sender.send(frame('SEND', { destination: '/topic/e11', 'x-k': 'a\\rb\\cc\\nd' }, 'x'));
    expect((await a.next()).lines).toContain('x-k:a\rb\\cc\\nd');
  });

  it('1.0: no escaping at all; backslashes are data', async () => {
    const a = await connectAs('1.0');
    await subscribe(a, '/topic/e10');
    a.send(frame('SEND', { destination: '/topic/e10', 'x-k': 'a\\cb' }, 'x'));
    expect((await a.next()).lines).toContain('x-k:a\\cb');
  });

  it('refuses an undefined escape sequence as fatal (1.2)', async () => {
    const a = await t.connect();
    a.send(frame('SEND', { destination: '/topic/e', 'x-bad': 'a\\tb', receipt: 'r' }, 'x'));
    const error = await a.next();
    expect(error.body.toString()).toMatch(/^invalid_escape/);
    await a.closed;
  });

  it('neither unescapes CONNECT headers nor escapes CONNECTED ones', async () => {
    let login = '';
    await t.broker.close();
    await t.start({
      authenticate: ({ frame: f }) => {
        login = f.headers.find(([n]) => n === 'login')![1];
        return { name: login };
      },
    });
    const c = await t.open();
    c.send(frame('CONNECT', { 'accept-version': '1.2', host: 'h', login: 'a\\cb' }));
    const connected = await c.next();
    expect(login).toBe('a\\cb');
    expect(connected.lines).toContain('user-name:a\\cb');
  });
});

describe('Header entries', () => {
  beforeEach(() => t.start());

  it('has the first of repeated headers win, for the broker and on MESSAGE', async () => {
    const a = await t.connect();
    await subscribe(a, '/topic/r');
    a.send('SEND\ndestination:/topic/r\ndestination:/topic/other\nx-k:first\nx-k:second\n\nbody\0');
    const message = await a.next();
    expect(message.headers.destination).toBe('/topic/r');
    expect(message.lines.filter((l) => l.startsWith('x-k:'))).toEqual(['x-k:first']);
  });

  it('never trims header values (1.2)', async () => {
    const a = await t.connect();
    await subscribe(a, '/topic/trim');
    a.send(frame('SEND', { destination: '/topic/trim', 'x-pad': '  padded  ' }, 'x'));
    expect((await a.next()).headers['x-pad']).toBe('  padded  ');
  });

  it('passes user headers and content-type on to MESSAGE, but not the broker’s own', async () => {
    const a = await t.connect();
    await subscribe(a, '/topic/h');
    a.send(
      frame(
        'SEND',
        {
          destination: '/topic/h',
          'content-type': 'application/json',
          'x-trace': 't1',
          receipt: 'r',
        },
        '{}',
      ),
    );
    const [message] = await a.sync();
    expect(message!.headers).toMatchObject({ 'content-type': 'application/json', 'x-trace': 't1' });
    expect(message!.headers.receipt).toBeUndefined();
  });
});

describe('Framing', () => {
  beforeEach(() => t.start());

  it('accepts CR LF line ends and EOLs between frames', async () => {
    const a = await t.connect();
    a.send('\r\n\nSUBSCRIBE\r\nid:s\r\ndestination:/topic/f\r\nreceipt:r\r\n\r\n\0\n\r\n');
    expect((await a.next()).headers['receipt-id']).toBe('r');
    a.send('SEND\r\ndestination:/topic/f\r\n\r\ncrlf\0');
    expect((await a.next()).body.toString()).toBe('crlf');
  });

  it('reads several frames from one WebSocket message and one frame from several', async () => {
    const a = await t.connect();
    await subscribe(a, '/topic/f');
    a.send(
      frame('SEND', { destination: '/topic/f' }, 'one') +
        '\n' +
        frame('SEND', { destination: '/topic/f' }, 'two'),
    );
    const whole = frame('SEND', { destination: '/topic/f' }, 'three');
    for (const [from, to] of [
      [0, 3],
      [3, 20],
      [20, whole.length],
    ])
      a.send(whole.slice(from, to));
    const bodies = [await a.next(), await a.next(), await a.next()].map((m) => m.body.toString());
    expect(bodies).toEqual(['one', 'two', 'three']);
  });

  it('sends each frame as its own WebSocket message', async () => {
    const a = await t.connect();
    await subscribe(a, '/topic/one-each');
    a.send(frame('SEND', { destination: '/topic/one-each', receipt: 'r' }, 'x'));
    await a.sync();
    const last = a.messages.slice(-3).map((m) => m.data.toString().split('\n')[0]);
    expect(last).toEqual(['MESSAGE', 'RECEIPT', 'RECEIPT']);
  });
});

describe('Bodies and content-length', () => {
  beforeEach(() => t.start());

  it('carries a binary body with NUL by content-length, as a binary WebSocket message', async () => {
    const a = await t.connect();
    await subscribe(a, '/topic/bin');
    const body = Buffer.from([0, 1, 2, 0xff, 0, 0xfe, 0]);
    a.send(
      Buffer.concat([
        Buffer.from(
          `SEND\ndestination:/topic/bin\ncontent-type:application/octet-stream\ncontent-length:${body.length}\n\n`,
        ),
        body,
        Buffer.from([0]),
      ]),
    );
    const message = await a.next();
    expect(message.binary).toBe(true);
    expect(message.headers['content-length']).toBe(String(body.length));
    expect(message.headers['content-type']).toBe('application/octet-stream');
    expect(Buffer.compare(message.body, body)).toBe(0);
  });

  it('sends a UTF-8 body as a text message with content-length in octets', async () => {
    const a = await t.connect();
    await subscribe(a, '/topic/utf8');
    const text = 'héllo 👋';
    a.send(frame('SEND', { destination: '/topic/utf8' }, text));
    const message = await a.next();
    expect(message.binary).toBe(false);
    expect(message.headers['content-length']).toBe(String(Buffer.byteLength(text)));
    expect(message.body.toString()).toBe(text);
  });

  it('carries a text body holding NUL when content-length says so', async () => {
    const a = await t.connect();
    await subscribe(a, '/topic/nul');
    a.send('SEND\ndestination:/topic/nul\ncontent-length:3\n\na\0b\0');
    expect([...(await a.next()).body]).toEqual([0x61, 0, 0x62]);
  });

  it('refuses a body longer than its content-length', async () => {
    const a = await t.connect();
    a.send('SEND\ndestination:/topic/x\ncontent-length:2\n\nabc\0');
    expect((await a.next()).body.toString()).toMatch(/^malformed_frame/);
    await a.closed;
  });
});

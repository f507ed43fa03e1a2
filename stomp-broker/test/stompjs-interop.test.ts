import { Client, type IMessage } from '@stomp/stompjs';
import WebSocket from 'ws';
import { Broker, StompError } from '../src';

/** A @stomp/stompjs client in Node (it needs a WebSocket implementation: ws). */
function stompClient(url: string, connectHeaders: Record<string, string> = {}): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client({
      webSocketFactory: () => new WebSocket(url, ['v12.stomp', 'v11.stomp', 'v10.stomp']),
      connectHeaders,
      reconnectDelay: 0,
      heartbeatIncoming: 1000,
      heartbeatOutgoing: 1000,
      onConnect: () => resolve(client),
      onStompError: (f) => reject(new Error(f.headers.message)),
      onWebSocketError: reject,
    });
    client.activate();
  });
}

let receipts = 0;

/** Subscribes and resolves once the broker's RECEIPT confirms it; `message` is the first MESSAGE. */
async function nextMessage(
  client: Client,
  destination: string,
  headers: Record<string, string> = {},
): Promise<{ message: Promise<IMessage> }> {
  const receipt = `sub-${++receipts}`;
  const subscribed = new Promise<void>((resolve) =>
    client.watchForReceipt(receipt, () => resolve()),
  );
  const message = new Promise<IMessage>((resolve) => {
    const sub = client.subscribe(
      destination,
      (m) => {
        sub.unsubscribe();
        resolve(m);
      },
      { ...headers, receipt },
    );
  });
  await subscribed;
  return { message };
}

describe('interop with @stomp/stompjs', () => {
  let broker: Broker;
  let url: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    broker = new Broker({
      authenticate: ({ frame }) => {
        const login = frame.headers.find(([n]) => n === 'login')?.[1];
        if (!login) throw new StompError('unauthenticated', 'login required');
        return { name: login };
      },
    });
    broker.handle('/echo/{word}', ({ params, reply }) => reply('/queue/echo', params.word!));
    ({ url } = await broker.listen(0));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.deactivate()));
    await broker.close();
  });

  const connect = async (login: string) => {
    const client = await stompClient(url, { login });
    clients.push(client);
    return client;
  };

  it('connects with 1.2 and heart-beats, publishes and receives, with receipts', async () => {
    const a = await connect('alice');
    expect(a.connectedVersion).toBe('1.2');
    const b = await connect('bob');
    const { message: received } = await nextMessage(b, '/topic/room');
    const published = new Promise<void>((resolve) => a.watchForReceipt('pub-1', () => resolve()));
    a.publish({
      destination: '/topic/room',
      body: 'héllo 👋',
      headers: { receipt: 'pub-1', 'x-k': 'v:1' },
    });
    await published;
    const message = await received;
    expect(message.body).toBe('héllo 👋');
    expect(message.headers['x-k']).toBe('v:1');
  });

  it('carries binary bodies', async () => {
    const a = await connect('carol');
    const { message: received } = await nextMessage(a, '/topic/bin');
    const bytes = new Uint8Array([0, 255, 0, 1, 2]);
    a.publish({
      destination: '/topic/bin',
      binaryBody: bytes,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect([...(await received).binaryBody]).toEqual([...bytes]);
  });

  it('acknowledges and nacks queue messages', async () => {
    const a = await connect('dave');
    const got: IMessage[] = [];
    const subscribed = new Promise<void>((resolve) => a.watchForReceipt('q', () => resolve()));
    const twice = new Promise<void>((resolve) => {
      a.subscribe(
        '/queue/work',
        (m) => {
          got.push(m);
          if (got.length === 1) m.nack();
          else {
            m.ack();
            resolve();
          }
        },
        { ack: 'client-individual', receipt: 'q' },
      );
    });
    await subscribed;
    a.publish({ destination: '/queue/work', body: 'job' });
    await twice;
    expect(got.map((m) => [m.body, m.headers.redelivered])).toEqual([
      ['job', undefined],
      ['job', 'true'],
    ]);
  });

  it('uses application and user destinations', async () => {
    const a = await connect('erin');
    const { message: echoed } = await nextMessage(a, '/user/queue/echo');
    a.publish({ destination: '/app/echo/ping' });
    expect((await echoed).body).toBe('ping');
  });

  it('sees a refusal as a STOMP error', async () => {
    await expect(stompClient(url)).rejects.toThrow('login required');
  });
});

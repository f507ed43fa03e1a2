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

const nextMessage = (client: Client, destination: string, headers: Record<string, string> = {}) =>
  new Promise<IMessage>((resolve) => {
    const sub = client.subscribe(
      destination,
      (m) => {
        sub.unsubscribe();
        resolve(m);
      },
      headers,
    );
  });

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
    broker.handle('/echo/{word}', ({ params, session, broker: b }) =>
      b.sendToSession(session, '/queue/echo', params.word!),
    );
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
    const received = nextMessage(b, '/topic/room', { receipt: 'sub-1' });
    await new Promise<void>((resolve) => b.watchForReceipt('sub-1', () => resolve()));
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
    const received = nextMessage(a, '/topic/bin');
    await new Promise((r) => setTimeout(r, 50));
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
        { ack: 'client-individual' },
      );
    });
    await new Promise((r) => setTimeout(r, 50));
    a.publish({ destination: '/queue/work', body: 'job' });
    await twice;
    expect(got.map((m) => [m.body, m.headers.redelivered])).toEqual([
      ['job', undefined],
      ['job', 'true'],
    ]);
  });

  it('uses application and user destinations', async () => {
    const a = await connect('erin');
    const echoed = nextMessage(a, '/user/queue/echo');
    await new Promise((r) => setTimeout(r, 50));
    a.publish({ destination: '/app/echo/ping' });
    expect((await echoed).body).toBe('ping');
  });

  it('sees a refusal as a STOMP error', async () => {
    await expect(stompClient(url)).rejects.toThrow('login required');
  });
});

import { FakeStompClients } from '../testing/fake-stomp-client';
import { StompChatTransport } from './stomp-chat-transport';
import { StompConnection } from './stomp-connection';

/** chat-service's commands as frames, over an in-memory client. */
describe('StompChatTransport', () => {
  let clients: FakeStompClients;
  let connection: StompConnection;
  let transport: StompChatTransport;

  beforeEach(() => {
    clients = new FakeStompClients();
    connection = new StompConnection({
      url: 'ws://chat.test/ws',
      createClient: clients.create,
      connectHeaders: () => ({}),
    });
    transport = new StompChatTransport(connection);
    connection.start();
    clients.latest.acceptConnect();
  });

  afterEach(() => connection.stop());

  it('confirms a sent message with the message-id and seq of its RECEIPT', async () => {
    const sent = transport.sendMessage('c1', { content: 'hi', nonce: 'n1' });
    expect(JSON.parse(clients.latest.published[0]!.body)).toEqual({ content: 'hi', nonce: 'n1' });
    clients.latest.receipt('/app/channels/c1/messages', { 'message-id': 'm9', seq: '9' });
    await expect(sent).resolves.toEqual({ messageId: 'm9', seq: 9 });
  });

  it('leaves a bare RECEIPT (no message-id or seq) to be confirmed by the echo', async () => {
    const sent = transport.sendMessage('c1', { content: 'hi', nonce: 'n1' });
    clients.latest.receipt('/app/channels/c1/messages', { seq: 'x' });
    await expect(sent).resolves.toEqual({});
  });

  it('edits and deletes wait for their RECEIPT', async () => {
    const edit = transport.editMessage('c1', 'm1', 'new');
    const remove = transport.deleteMessage('c1', 'm2');
    clients.latest.receipt('/app/channels/c1/messages/m1/edit');
    clients.latest.receipt('/app/channels/c1/messages/m2/delete');
    await expect(Promise.all([edit, remove])).resolves.toEqual([undefined, undefined]);
    expect(clients.latest.published[0]!.body).toBe('{"content":"new"}');
  });

  it('sends typing, read markers, presence and renewed tokens without waiting', () => {
    transport.typing('c1');
    transport.markRead('c1', 4);
    transport.setPresence('idle');
    transport.pushToken('tok');
    expect(
      clients.latest.published.map((p) => [p.destination, p.body, p.headers['content-type']]),
    ).toEqual([
      ['/app/channels/c1/typing', '', 'application/json'],
      ['/app/channels/c1/read', '{"seq":4}', 'application/json'],
      ['/app/presence', '{"status":"idle"}', 'application/json'],
      ['/app/session/token', 'tok', 'text/plain'],
    ]);
  });
});

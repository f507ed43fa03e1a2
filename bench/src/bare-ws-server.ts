// The ceiling: a bare `ws` server that broadcasts each SEND's body to every client that subscribed
// to its destination, speaking just enough STOMP (CONNECT → CONNECTED, SUBSCRIBE, SEND, RECEIPT)
// to be driven by the same load client. No escaping, acks, limits, hooks or checks.
import { WebSocketServer, type WebSocket } from 'ws';

const port = Number(process.argv[2] ?? 0);
const wss = new WebSocketServer({ port, host: '127.0.0.1', perMessageDeflate: false });
const topics = new Map<string, Set<WebSocket>>();
const headerOf = (head: string, name: string) => new RegExp(`\\n${name}:([^\\n]*)`).exec(head)?.[1];

wss.on('connection', (ws) => {
  ws.on('message', (data: Buffer) => {
    const text = data.toString();
    const bodyAt = text.indexOf('\n\n') + 2;
    const head = text.slice(0, bodyAt);
    if (text.startsWith('CONNECT')) {
      ws.send('CONNECTED\nversion:1.2\n\n\0');
      return;
    }
    const destination = headerOf(head, 'destination') ?? '';
    if (text.startsWith('SUBSCRIBE')) {
      const set = topics.get(destination) ?? new Set();
      topics.set(destination, set.add(ws));
      ws.once('close', () => set.delete(ws));
    } else if (text.startsWith('SEND')) {
      const body = text.slice(bodyAt, text.indexOf('\0', bodyAt));
      const message = `MESSAGE\nsubscription:0\nmessage-id:0\ndestination:${destination}\n\n${body}\0`;
      for (const client of topics.get(destination) ?? []) client.send(message);
    }
    const receipt = headerOf(head, 'receipt');
    if (receipt !== undefined) ws.send(`RECEIPT\nreceipt-id:${receipt}\n\n\0`);
  });
});
wss.on('listening', () => {
  const address = wss.address() as { port: number };
  process.stdout.write(`bare-ws listening on ws://127.0.0.1:${address.port}/\n`);
});
process.on('SIGTERM', () => wss.close(() => process.exit(0)));

// The ceiling: a bare `ws` server speaking just enough STOMP to be driven by the load client.
// CONNECT → CONNECTED, SUBSCRIBE adds the socket to its destination's set, SEND is serialised
// once into a MESSAGE and written to every socket of that set, and any `receipt` header is
// answered. No parsing beyond that, no escaping, acks, limits, hooks or flow control.
//
// The destination lookup is kept on purpose: with no routing at all, scenario 2 (100 topics)
// would broadcast every message to 1,100 sockets instead of 10, and no longer be comparable.
import { parseArgs } from 'node:util';
import { WebSocketServer, type WebSocket } from 'ws';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' } } });
const wss = new WebSocketServer({
  port: Number(values.port),
  host: '127.0.0.1',
  perMessageDeflate: false,
  clientTracking: false,
});
const topics = new Map<string, Set<WebSocket>>();
const text = { binary: false };

function header(head: string, name: string): string | undefined {
  const at = head.indexOf(`\n${name}:`);
  if (at < 0) return undefined;
  const from = at + name.length + 2;
  return head.slice(from, head.indexOf('\n', from));
}

wss.on('connection', (ws) => {
  const subscribed = new Set<Set<WebSocket>>();
  ws.on('close', () => subscribed.forEach((set) => set.delete(ws)));
  ws.on('message', (data: Buffer) => {
    const headEnd = data.indexOf('\n\n');
    const head = data.toString('latin1', 0, headEnd + 1);
    if (head.startsWith('CONNECT')) {
      ws.send('CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\0');
      return;
    }
    const destination = header(head, 'destination') ?? '';
    if (head.startsWith('SEND')) {
      const set = topics.get(destination);
      if (set) {
        const body = data.subarray(headEnd + 2, data.indexOf(0, headEnd + 2));
        const message = Buffer.concat([
          Buffer.from(`MESSAGE\nsubscription:0\nmessage-id:0\ndestination:${destination}\n\n`),
          body,
          Buffer.from([0]),
        ]);
        for (const client of set) client.send(message, text);
      }
    } else if (head.startsWith('SUBSCRIBE')) {
      let set = topics.get(destination);
      if (!set) topics.set(destination, (set = new Set()));
      set.add(ws);
      subscribed.add(set);
    }
    const receipt = header(head, 'receipt');
    if (receipt !== undefined) ws.send(`RECEIPT\nreceipt-id:${receipt}\n\n\0`);
  });
});
wss.on('listening', () => {
  const { port } = wss.address() as { port: number };
  process.stdout.write(`bare-ws listening on ws://127.0.0.1:${port}/\n`);
});
// Nothing to save: end at once, open sockets and all.
process.once('SIGTERM', () => process.exit(0));
process.once('SIGINT', () => process.exit(0));

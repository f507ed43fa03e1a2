// Serving: attached to an existing HTTP server (shared port), and graceful shutdown.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Broker } from '../src';
import { frame, RawClient } from './raw-client';

describe('attach to an existing HTTP server', () => {
  it('serves STOMP at its path while the app keeps the rest of the port', async () => {
    const server = createServer((_req, res) => res.end('app says hi'));
    const broker = new Broker({ heartbeat: [0, 0], path: '/stomp' });
    await broker.attach(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      const http = await fetch(`http://127.0.0.1:${port}/anything`);
      expect(await http.text()).toBe('app says hi');
      const c = await RawClient.connectTo(`ws://127.0.0.1:${port}/stomp`);
      c.send(frame('SUBSCRIBE', { id: 's', destination: '/topic/shared-port', receipt: 'r' }));
      expect((await c.next()).headers['receipt-id']).toBe('r');
      c.close();
    } finally {
      await broker.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('graceful shutdown', () => {
  it('ends every session with ERROR "shutting down", closes, and resolves once all are gone', async () => {
    const broker = new Broker({ heartbeat: [0, 0] });
    const { url } = await broker.listen(0);
    const clients = [
      await RawClient.connectTo(url),
      await RawClient.connectTo(url),
      await RawClient.open(url),
    ];
    await broker.close();
    expect(broker.sessionCount).toBe(0);
    for (const c of clients) {
      const error = await c.next();
      expect(error.headers.message).toMatch(/shutting down/);
      expect(await c.closed).toBe(1001);
    }
    await expect(RawClient.open(url)).rejects.toThrow();
  });
});

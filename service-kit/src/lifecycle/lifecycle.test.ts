import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeHttpServer, listen } from '.';

/** A GET to the server; resolves with the status, or rejects when the connection is cut. */
const get = (server: Server) =>
  new Promise<number>((resolve, reject) => {
    const { port } = server.address() as AddressInfo;
    request({ port, host: '127.0.0.1', path: '/' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    })
      .on('error', reject)
      .end();
  });

describe('listen and closeHttpServer', () => {
  it('lets a request in flight finish within the grace period', async () => {
    const server = await listen(
      createServer((_req, res) => setTimeout(() => res.end('done'), 100)),
      0,
      '127.0.0.1',
    );
    const inFlight = get(server);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await closeHttpServer(server, 5000);
    await expect(inFlight).resolves.toBe(200);
  });

  it('cuts a request still running when the grace period ends', async () => {
    const server = await listen(
      createServer(() => undefined), // never answers
      0,
      '127.0.0.1',
    );
    const inFlight = get(server);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = Date.now();
    await closeHttpServer(server, 100);
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(inFlight).rejects.toThrow();
  });

  it('rejects when the port is taken', async () => {
    const first = await listen(createServer(), 0, '127.0.0.1');
    const { port } = first.address() as AddressInfo;
    await expect(listen(createServer(), port, '127.0.0.1')).rejects.toThrow(/EADDRINUSE/);
    await closeHttpServer(first, 100);
  });
});

import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { ISocketFactory } from 'kafkajs';

/**
 * A TCP proxy in front of the real Kafka, to give one client an outage without touching the
 * broker other suites use. Kafka's metadata sends clients to its advertised address
 * (127.0.0.1:9092), so a bootstrap through the proxy alone would not do: `socketFactory` makes
 * every connection the client opens, to any broker address, go through the proxy.
 *
 * - `refuse()`: drops every connection and stops listening, so connects are refused (broker down).
 * - `blackhole()`: keeps accepting and keeps connections open but forwards nothing either way,
 *   so requests hang until the client's timeouts (a network partition).
 * - `restore()`: forwards again; connections from the outage are dropped so clients reconnect.
 */
export class TcpProxy {
  private readonly pairs = new Set<[Socket, Socket]>();
  private mode: 'forward' | 'blackhole' | 'refuse' = 'forward';
  connectionsAccepted = 0;

  private server: Server = createServer();
  /** The proxy's ephemeral port on 127.0.0.1; the same after `refuse()` and `restore()`. */
  port = 0;

  private constructor(private readonly target: { host: string; port: number }) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target);
    proxy.port = await proxy.listen(0);
    return proxy;
  }

  private listen(port: number): Promise<number> {
    this.server = createServer((client) => this.accept(client));
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () =>
        resolve((this.server.address() as AddressInfo).port),
      );
    });
  }

  private accept(client: Socket): void {
    this.connectionsAccepted += 1;
    const upstream = connect(this.target);
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      this.pairs.delete(pair);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    // Forward chunk by chunk (not pipe) so that blackhole mode can swallow traffic on open sockets.
    client.on('data', (chunk) => {
      if (this.mode === 'forward') upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (this.mode === 'forward') client.write(chunk);
    });
  }

  /** For kafkajs: every broker connection goes to the proxy, whatever address metadata named. */
  socketFactory(): ISocketFactory {
    return ({ onConnect }) => {
      const socket = connect({ host: '127.0.0.1', port: this.port }, onConnect);
      socket.setKeepAlive(true, 60_000);
      return socket;
    };
  }

  private dropAll(): void {
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  async refuse(): Promise<void> {
    this.mode = 'refuse';
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.dropAll();
    await closed;
  }

  blackhole(): void {
    this.mode = 'blackhole';
  }

  async restore(): Promise<void> {
    const wasRefusing = this.mode === 'refuse';
    this.dropAll();
    this.mode = 'forward';
    if (wasRefusing) await this.listen(this.port);
  }

  async close(): Promise<void> {
    this.dropAll();
    if (this.server.listening)
      await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

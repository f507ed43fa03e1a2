import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { ConnectionInfo, Transport } from './transport';
import { WsTransport } from './ws-transport';

/** STOMP over WebSocket subprotocols, preferred first. */
export const stompSubprotocols = ['v12.stomp', 'v11.stomp', 'v10.stomp'] as const;

export interface WsEndpointOptions {
  path: string;
  /** Largest WebSocket message; larger ones are refused by ws with close code 1009. */
  maxPayload: number;
  perMessageDeflate: boolean;
  /** The client's address for a request; default the socket's peer address. */
  clientAddress?: (request: IncomingMessage) => string | undefined;
}

/**
 * Serves STOMP on the upgrade requests of HTTP servers at one path, leaving other paths to
 * whoever else listens (a Koa app, another WebSocket endpoint).
 */
export class WsEndpoint {
  private readonly wss: WebSocketServer;
  private readonly servers: {
    server: Server;
    listener: (request: IncomingMessage, socket: Duplex, head: Buffer) => void;
  }[] = [];

  constructor(
    private readonly options: WsEndpointOptions,
    private readonly accept: (transport: Transport, info: ConnectionInfo) => void,
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: options.perMessageDeflate,
      maxPayload: options.maxPayload,
      // One endpoint for every version: none, or the best STOMP subprotocol the client offers.
      handleProtocols: (offered) => stompSubprotocols.find((p) => offered.has(p)) ?? false,
    });
  }

  /** Serves this endpoint on `server`'s upgrade requests; `own` servers refuse other paths. */
  attach(server: Server, own = false): void {
    const listener = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (pathOf(request) !== this.options.path) {
        if (own) socket.destroy();
        return;
      }
      this.wss.handleUpgrade(request, socket, head, (ws) => {
        this.accept(new WsTransport(ws), {
          remoteAddress: this.options.clientAddress
            ? this.options.clientAddress(request)
            : request.socket.remoteAddress,
          protocol: ws.protocol,
          request,
        });
      });
    };
    server.on('upgrade', listener);
    this.servers.push({ server, listener });
  }

  /** Stops serving upgrades (open sockets are the broker's to close). */
  async close(): Promise<void> {
    for (const { server, listener } of this.servers.splice(0)) server.off('upgrade', listener);
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

function pathOf(request: IncomingMessage): string {
  const url = request.url ?? '/';
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

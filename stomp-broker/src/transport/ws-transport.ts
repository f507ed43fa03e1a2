import type { WebSocket } from 'ws';
import type { Transport, TransportSink } from './transport';

const text = { binary: false };
const binary = { binary: true };

/** A {@link Transport} over a `ws` WebSocket. */
export class WsTransport implements Transport {
  constructor(readonly socket: WebSocket) {}

  bind(sink: TransportSink): void {
    this.socket.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      sink.data(
        Buffer.isBuffer(data)
          ? data
          : Array.isArray(data)
            ? Buffer.concat(data)
            : Buffer.from(data),
      );
    });
    this.socket.once('close', () => sink.closed());
    // A socket error is followed by 'close'; without a listener it would be thrown.
    this.socket.on('error', () => this.socket.terminate());
  }

  send(data: string | Buffer, isBinary: boolean, onSent?: (error?: Error) => void): void {
    this.socket.send(data, isBinary ? binary : text, onSent);
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  close(code: number, reason?: string): void {
    this.socket.close(code, reason);
  }

  terminate(): void {
    this.socket.terminate();
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }
}

import type { IncomingMessage } from 'node:http';

/** What a transport reports to the broker. */
export interface TransportSink {
  /** One inbound message's octets (a chunk of the STOMP byte stream). */
  data(chunk: Buffer): void;
  /** The connection is gone; called once. */
  closed(): void;
}

/**
 * One connection as the broker sees it: messages in, messages out, backpressure and closing.
 * The broker never touches `ws` directly, so tests and other carriers (an in-memory pair, a raw
 * TCP socket) plug in through {@link Broker.accept}.
 */
export interface Transport {
  /** Starts reporting to `sink`; called once, right after the broker accepts the connection. */
  bind(sink: TransportSink): void;
  /**
   * Sends one message: a STOMP frame (or an EOL heart-beat). `binary` picks a binary WebSocket
   * message for bodies that are not UTF-8; everything else goes as text.
   */
  send(data: string | Buffer, binary: boolean, onSent?: (error?: Error) => void): void;
  /** Octets accepted by `send` but not yet written to the network. */
  readonly bufferedAmount: number;
  /** Closes after what was sent is flushed (WebSocket close code, RFC 6455 section 7.4). */
  close(code: number, reason?: string): void;
  /** Drops the connection at once. */
  terminate(): void;
  /** Stops reading (inbound backpressure) until {@link resume}. */
  pause(): void;
  resume(): void;
}

/** What the broker knows about a connection when it arrives. */
export interface ConnectionInfo {
  remoteAddress?: string;
  /** The negotiated WebSocket subprotocol, e.g. `v12.stomp`, or '' for none. */
  protocol?: string;
  /** The HTTP upgrade request (cookies, origin, headers); held only until CONNECT is handled. */
  request?: IncomingMessage;
}

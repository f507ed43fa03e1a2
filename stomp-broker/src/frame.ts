/** STOMP versions this broker speaks, newest first (spec 1.2 "Protocol Negotiation"). */
export const supportedVersions = ['1.2', '1.1', '1.0'] as const;
export type StompVersion = (typeof supportedVersions)[number];

/** Frames a client may send (spec 1.2 "Client Frames"). */
export const clientCommands = [
  'CONNECT',
  'STOMP',
  'SEND',
  'SUBSCRIBE',
  'UNSUBSCRIBE',
  'ACK',
  'NACK',
  'BEGIN',
  'COMMIT',
  'ABORT',
  'DISCONNECT',
] as const;
export type ClientCommand = (typeof clientCommands)[number];
/** Frames the server sends (spec 1.2 "Server Frames"). */
export type ServerCommand = 'CONNECTED' | 'MESSAGE' | 'RECEIPT' | 'ERROR';

/**
 * Headers in wire order, unescaped. Repeated names are kept as sent; readers take the first
 * (spec 1.2 "Repeated Header Entries").
 */
export type HeaderList = ReadonlyArray<readonly [string, string]>;

/** One decoded frame. The body is raw octets: `content-length` counts octets, not characters. */
export interface Frame {
  command: string;
  headers: HeaderList;
  body: Buffer;
}

/** The first value of a header, or undefined (spec 1.2 "Repeated Header Entries": first wins). */
export function header(frame: { headers: HeaderList }, name: string): string | undefined {
  const headers = frame.headers;
  for (let i = 0; i < headers.length; i++) {
    const entry = headers[i]!;
    if (entry[0] === name) return entry[1];
  }
  return undefined;
}

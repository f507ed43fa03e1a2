/** STOMP versions this broker speaks, newest first. */
export const supportedVersions = ['1.2', '1.1', '1.0'] as const;
export type StompVersion = (typeof supportedVersions)[number];

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
export type ServerCommand = 'CONNECTED' | 'MESSAGE' | 'RECEIPT' | 'ERROR';

/** Headers in wire order; repeated names are kept, and the first one wins (spec 1.2 "Repeated Header Entries"). */
export type HeaderList = ReadonlyArray<readonly [string, string]>;

export interface Frame {
  command: string;
  headers: HeaderList;
  body: Buffer;
}

/** The first value of a header, or undefined. */
export function header(frame: Frame, name: string): string | undefined {
  for (const [key, value] of frame.headers) if (key === name) return value;
  return undefined;
}

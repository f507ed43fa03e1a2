import { StompError } from '../errors';
import { clientCommands, type Frame, type StompVersion } from '../frame';
import { unescapeHeader } from './escape';

export interface ParserLimits {
  /** Largest frame, command + headers + body, in octets. */
  maxFrameSize: number;
  maxHeaders: number;
  /** Longest header line (name, colon and value), in octets. */
  maxHeaderLength: number;
}

export const defaultParserLimits: ParserLimits = {
  maxFrameSize: 128 * 1024,
  maxHeaders: 64,
  maxHeaderLength: 8 * 1024,
};

const enum State {
  /** Skipping heart-beat EOLs, then reading the command line. */
  Command,
  Headers,
  Body,
}

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;
const known = new Set<string>(clientCommands);

/**
 * Turns bytes into frames and nothing else. Chunks may split a frame anywhere or hold several
 * frames; EOLs between frames (heart-beats) are skipped. Errors are StompErrors with stable codes.
 */
export class FrameParser {
  private buffer: Buffer = Buffer.alloc(0);
  private offset = 0;
  private state = State.Command;
  private command = '';
  private headers: [string, string][] = [];
  private contentLength = -1;
  private frameStart = 0;
  /** Headers are unescaped per version; CONNECT/STOMP are never escaped. */
  version: StompVersion | undefined;

  constructor(
    private readonly limits: ParserLimits = defaultParserLimits,
    private readonly onHeartbeat?: () => void,
  ) {}

  /** Feeds a chunk; returns the frames it completed. Throws StompError on a protocol violation. */
  push(chunk: Buffer): Frame[] {
    this.buffer =
      this.offset < this.buffer.length
        ? Buffer.concat([this.buffer.subarray(this.offset), chunk])
        : chunk;
    this.frameStart -= this.offset;
    this.offset = 0;
    const frames: Frame[] = [];
    for (;;) {
      const frame = this.next();
      if (!frame) break;
      frames.push(frame);
    }
    return frames;
  }

  private next(): Frame | undefined {
    const buf = this.buffer;
    if (this.state === State.Command) {
      // Spec 1.2 "Heart-beating": EOLs between frames.
      while (this.offset < buf.length && (buf[this.offset] === LF || buf[this.offset] === CR)) {
        if (buf[this.offset] === CR && buf[this.offset + 1] !== LF) {
          if (this.offset + 1 >= buf.length) return undefined; // CR at the end: wait for its LF
          throw new StompError('malformed_frame', 'A CR not followed by LF between frames.');
        }
        if (buf[this.offset] === LF) this.onHeartbeat?.();
        this.offset++;
      }
      this.frameStart = this.offset;
      const line = this.readLine();
      if (line === undefined) return undefined;
      if (!known.has(line)) {
        throw new StompError('unknown_command', `Unknown command "${line.slice(0, 32)}".`);
      }
      this.command = line;
      this.headers = [];
      this.contentLength = -1;
      this.state = State.Headers;
    }
    if (this.state === State.Headers) {
      for (;;) {
        const line = this.readLine();
        if (line === undefined) return undefined;
        if (line === '') break;
        this.addHeader(line);
      }
      this.state = State.Body;
    }
    // State.Body
    const start = this.offset;
    let end: number;
    if (this.contentLength >= 0) {
      end = start + this.contentLength;
      this.checkSize(end + 1);
      if (buf.length <= end) return undefined;
      if (buf[end] !== NUL) {
        throw new StompError('malformed_frame', 'The body is longer than its content-length.');
      }
    } else {
      end = buf.indexOf(NUL, start);
      if (end < 0) {
        this.checkSize(buf.length);
        return undefined;
      }
      this.checkSize(end + 1);
    }
    // Copy: the frame outlives this chunk, and the chunk may be a slice of a larger buffer.
    const body = Buffer.from(buf.subarray(start, end));
    this.offset = end + 1;
    this.state = State.Command;
    return { command: this.command, headers: this.headers, body };
  }

  private checkSize(endOfFrame: number): void {
    if (endOfFrame - this.frameStart > this.limits.maxFrameSize) {
      throw new StompError(
        'frame_too_large',
        `Frames are limited to ${this.limits.maxFrameSize} octets.`,
      );
    }
  }

  /** A line without its EOL (LF or CR LF), or undefined until the line is complete. */
  private readLine(): string | undefined {
    const buf = this.buffer;
    const lf = buf.indexOf(LF, this.offset);
    if (lf < 0) {
      if (buf.length - this.offset > this.limits.maxHeaderLength) {
        throw new StompError(
          'header_too_long',
          `Header lines are limited to ${this.limits.maxHeaderLength} octets.`,
        );
      }
      this.checkSize(buf.length);
      return undefined;
    }
    if (lf - this.offset > this.limits.maxHeaderLength) {
      throw new StompError(
        'header_too_long',
        `Header lines are limited to ${this.limits.maxHeaderLength} octets.`,
      );
    }
    const end = lf > this.offset && buf[lf - 1] === CR ? lf - 1 : lf;
    const line = buf.toString('utf8', this.offset, end);
    this.offset = lf + 1;
    this.checkSize(this.offset);
    return line;
  }

  private addHeader(line: string): void {
    if (this.headers.length >= this.limits.maxHeaders) {
      throw new StompError(
        'too_many_headers',
        `Frames are limited to ${this.limits.maxHeaders} headers.`,
      );
    }
    const colon = line.indexOf(':');
    if (colon < 0) throw new StompError('malformed_header', 'A header line without a colon.');
    const escaped = this.command !== 'CONNECT' && this.command !== 'STOMP';
    const version = escaped ? this.version : undefined;
    const name = unescapeHeader(line.slice(0, colon), version);
    const value = unescapeHeader(line.slice(colon + 1), version);
    if (name === undefined || value === undefined) {
      throw new StompError('invalid_escape', 'A header uses an undefined escape sequence.');
    }
    // Values are never trimmed (spec 1.2 "Value Encoding"); the first of repeated headers wins.
    this.headers.push([name, value]);
    if (
      name === 'content-length' &&
      !this.headers.some(([n], i) => n === name && i < this.headers.length - 1)
    ) {
      if (!/^[0-9]{1,10}$/.test(value))
        throw new StompError('malformed_header', 'content-length is not a number of octets.');
      this.contentLength = Number(value);
    }
  }
}

import { ErrorCode, StompError } from '../errors';
import type { Frame, StompVersion } from '../frame';
import { unescapeHeader } from './escape';

/**
 * Limits the parser enforces while bytes arrive, before a frame is complete: the three that spec
 * 1.2 "Size Limits" names ("the number of frame headers allowed in a single frame", "the maximum
 * length of header lines", "the maximum size of a frame body"). Together they bound a frame: the
 * command and header lines by `maxHeaders` and `maxHeaderLength`, the body by `maxBodySize`.
 */
export interface ParserLimits {
  /** Largest frame body in octets (`frame_too_large`); the command and headers do not count. */
  maxBodySize: number;
  /** Most header lines in one frame. */
  maxHeaders: number;
  /** Longest command or header line (name, colon and value, escaped), in octets. */
  maxHeaderLength: number;
}

/** Defaults: 128 KiB bodies, 64 headers, 8 KiB header lines. */
export const defaultParserLimits: Readonly<ParserLimits> = Object.freeze({
  maxBodySize: 128 * 1024,
  maxHeaders: 64,
  maxHeaderLength: 8 * 1024,
});

/** Where the parser is inside the byte stream. */
export enum ParseState {
  /** Skipping EOLs (heart-beats) between frames, spec 1.2 "Heart-beating". */
  BetweenFrames = 'between-frames',
  /** Reading the command line. */
  Command = 'command',
  /** Reading header lines up to the blank line. */
  Headers = 'headers',
  /** Reading the body up to its NUL, by `content-length` when given. */
  Body = 'body',
}

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;
const empty = Buffer.alloc(0);

/**
 * Turns bytes into frames and nothing else. Bytes are pushed as they arrive (a chunk may split a
 * frame anywhere or hold several), and frames are pulled one at a time with {@link next}: the
 * broker pulls the next frame only once the previous one is handled, so a frame that follows
 * CONNECT in the same chunk is unescaped by the version CONNECT negotiated. Violations throw a
 * {@link StompError} with a stable code.
 */
export class FrameParser {
  /** Escaping rules for frames other than CONNECT/STOMP; undefined before negotiation. */
  version: StompVersion | undefined;
  private state = ParseState.BetweenFrames;
  private buffer: Buffer = empty;
  private offset = 0;
  /** Where the search for a body's NUL resumes, so a long body is not rescanned per chunk. */
  private scanFrom = 0;
  private command = '';
  private headers: [string, string][] = [];
  private contentLength = -1;

  constructor(private readonly limits: ParserLimits = defaultParserLimits) {}

  /** Octets received but not yet returned as frames. */
  get buffered(): number {
    return this.buffer.length - this.offset;
  }

  /** The parser's position, for tests and diagnostics. */
  get position(): ParseState {
    return this.state;
  }

  /** Appends a chunk; no parsing happens until {@link next}. */
  push(chunk: Buffer): void {
    if (this.offset >= this.buffer.length) {
      this.scanFrom -= this.offset;
      this.buffer = chunk;
    } else {
      const rest = this.buffer.subarray(this.offset);
      this.scanFrom -= this.offset;
      this.buffer = Buffer.concat([rest, chunk], rest.length + chunk.length);
    }
    this.offset = 0;
  }

  /** The next complete frame, or undefined until more bytes arrive. */
  next(): Frame | undefined {
    const buf = this.buffer;
    if (this.state === ParseState.BetweenFrames) {
      // Spec 1.2 "Heart-beating"/"STOMP Frames": EOLs (LF or CR LF) may come between frames.
      while (this.offset < buf.length) {
        const b = buf[this.offset];
        if (b === LF) this.offset++;
        else if (b === CR) {
          if (this.offset + 1 >= buf.length) return this.release();
          if (buf[this.offset + 1] !== LF) {
            throw new StompError(
              ErrorCode.MalformedFrame,
              'A CR not followed by LF between frames.',
            );
          }
          this.offset += 2;
        } else break;
      }
      if (this.offset >= buf.length) return this.release();
      this.state = ParseState.Command;
    }
    if (this.state === ParseState.Command) {
      const line = this.readLine(true);
      if (line === undefined) return undefined;
      if (line === '') throw new StompError(ErrorCode.MalformedFrame, 'An empty command line.');
      this.command = line;
      this.headers = [];
      this.contentLength = -1;
      this.state = ParseState.Headers;
    }
    if (this.state === ParseState.Headers) {
      // CONNECT and STOMP frames are never escaped (spec 1.2 "Value Encoding").
      const connect = this.command === 'CONNECT' || this.command === 'STOMP';
      const version = connect ? undefined : this.version;
      // 1.1 lines end in LF alone, so a CR before it is data; 1.2 allows CR LF (spec 1.2 "Augmented BNF").
      const stripCr = version !== '1.1';
      for (;;) {
        const line = this.readLine(stripCr);
        if (line === undefined) return undefined;
        if (line === '') break;
        this.addHeader(line, version);
      }
      this.state = ParseState.Body;
      this.scanFrom = this.offset;
    }
    return this.readBody();
  }

  private readBody(): Frame | undefined {
    const buf = this.buffer;
    // The body starts here and stays here while it arrives (push keeps the unread part only).
    const start = this.offset;
    let end: number;
    if (this.contentLength >= 0) {
      // Spec 1.2 "Header content-length": the body is exactly that many octets, then a NUL.
      this.checkBodySize(this.contentLength);
      end = start + this.contentLength;
      if (buf.length <= end) return undefined;
      if (buf[end] !== NUL) {
        throw new StompError(
          ErrorCode.MalformedFrame,
          'The body is not followed by NUL at its content-length.',
        );
      }
    } else {
      end = buf.indexOf(NUL, this.scanFrom);
      if (end < 0) {
        this.scanFrom = buf.length;
        this.checkBodySize(buf.length - start);
        return undefined;
      }
      this.checkBodySize(end - start);
    }
    // A copy: the frame may outlive this chunk (a queue holds it), and must not pin a larger buffer.
    const body = end > start ? Buffer.from(buf.subarray(start, end)) : empty;
    this.offset = end + 1;
    this.state = ParseState.BetweenFrames;
    const frame: Frame = { command: this.command, headers: this.headers, body };
    this.headers = [];
    return frame;
  }

  /** Drops a fully consumed buffer so an idle session holds no bytes. */
  private release(): undefined {
    if (this.offset >= this.buffer.length) {
      this.buffer = empty;
      this.offset = 0;
      this.scanFrom = 0;
    }
    return undefined;
  }

  /**
   * Spec 1.2 "Size Limits": a server may limit "the maximum size of a frame body". Only the body
   * counts; the command and header lines are held to `maxHeaders` and `maxHeaderLength`.
   */
  private checkBodySize(octets: number): void {
    if (octets > this.limits.maxBodySize) {
      throw new StompError(
        ErrorCode.FrameTooLarge,
        `Frame bodies are limited to ${this.limits.maxBodySize} octets.`,
      );
    }
  }

  /** A line without its EOL, or undefined until the line is complete. */
  private readLine(stripCr: boolean): string | undefined {
    const buf = this.buffer;
    const lf = buf.indexOf(LF, this.offset);
    const length = (lf < 0 ? buf.length : lf) - this.offset;
    // Spec 1.2 "Size Limits": "the maximum length of header lines" (the command line too), so
    // with `maxHeaders` a frame's command and headers are bounded before its body starts.
    if (length > this.limits.maxHeaderLength) {
      throw new StompError(
        ErrorCode.HeaderTooLong,
        `Command and header lines are limited to ${this.limits.maxHeaderLength} octets.`,
      );
    }
    if (lf < 0) return undefined;
    const end = stripCr && lf > this.offset && buf[lf - 1] === CR ? lf - 1 : lf;
    const line = buf.toString('utf8', this.offset, end);
    this.offset = lf + 1;
    return line;
  }

  private addHeader(line: string, version: StompVersion | undefined): void {
    if (this.headers.length >= this.limits.maxHeaders) {
      throw new StompError(
        ErrorCode.TooManyHeaders,
        `Frames are limited to ${this.limits.maxHeaders} headers.`,
      );
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      throw new StompError(ErrorCode.MalformedHeader, 'A header line without a name and a colon.');
    }
    const name = unescapeHeader(line.slice(0, colon), version);
    // Values are never trimmed (spec 1.2 "Value Encoding"): ' a ' stays ' a '.
    const value = unescapeHeader(line.slice(colon + 1), version);
    if (name === undefined || value === undefined) {
      throw new StompError(ErrorCode.InvalidEscape, 'A header uses an undefined escape sequence.');
    }
    // Only the first content-length counts (spec 1.2 "Repeated Header Entries").
    if (name === 'content-length' && this.contentLength < 0) {
      if (!/^[0-9]{1,10}$/.test(value)) {
        throw new StompError(
          ErrorCode.MalformedHeader,
          'content-length is not a number of octets.',
        );
      }
      this.contentLength = Number(value);
    }
    this.headers.push([name, value]);
  }
}

import { ErrorCode, StompError } from '../errors';
import { header, type Frame, type StompVersion } from '../frame';
import { FrameParser, ParseState, type ParserLimits } from './parser';

/** Pushes each chunk and pulls every frame it completes. */
function parse(
  chunks: (string | Buffer)[],
  version?: StompVersion,
  limits?: ParserLimits,
): Frame[] {
  const parser = new FrameParser(limits);
  parser.version = version;
  const frames: Frame[] = [];
  for (const chunk of chunks) {
    parser.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    for (let f = parser.next(); f; f = parser.next()) frames.push(f);
  }
  return frames;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof StompError ? error.code : 'not-a-StompError';
  }
  return undefined;
}

describe('FrameParser: chunking', () => {
  const wire = 'SEND\ndestination:/topic/a\nx:1\n\nhello\0';

  it('reads a frame split at every possible byte', () => {
    for (let cut = 1; cut < wire.length; cut++) {
      const frames = parse([wire.slice(0, cut), wire.slice(cut)], '1.2');
      expect(frames).toHaveLength(1);
      expect(frames[0]!.body.toString()).toBe('hello');
      expect(header(frames[0]!, 'x')).toBe('1');
    }
  });

  it('reads a frame delivered one byte at a time', () => {
    const frames = parse(
      [...wire].map((c) => c),
      '1.2',
    );
    expect(frames.map((f) => f.body.toString())).toEqual(['hello']);
  });

  it('reads several frames from one chunk, skipping LF and CR LF heart-beats between them', () => {
    const frames = parse(
      ['\n\r\nSEND\ndestination:/a\n\none\0\n\nSEND\ndestination:/b\n\ntwo\0\r\n\n'],
      '1.2',
    );
    expect(frames.map((f) => f.body.toString())).toEqual(['one', 'two']);
  });

  it('waits for the LF of a CR that ends a chunk between frames', () => {
    expect(parse(['SEND\n\nx\0\r', '\nSEND\n\ny\0'], '1.2')).toHaveLength(2);
  });

  it('yields one frame per next(), holding the rest until asked', () => {
    const parser = new FrameParser();
    parser.push(Buffer.from('CONNECT\naccept-version:1.2\n\n\0SEND\nk:a\\cb\n\n\0'));
    const connect = parser.next()!;
    expect(connect.command).toBe('CONNECT');
    expect(parser.buffered).toBeGreaterThan(0);
    // The version CONNECT negotiated applies to the frame that came with it.
    parser.version = '1.2';
    expect(header(parser.next()!, 'k')).toBe('a:b');
    expect(parser.next()).toBeUndefined();
    expect(parser.buffered).toBe(0);
    expect(parser.position).toBe(ParseState.BetweenFrames);
  });
});

describe('FrameParser: bodies', () => {
  it('takes NUL octets inside a body with content-length', () => {
    const body = Buffer.from([1, 0, 2, 0]);
    const wire = Buffer.concat([
      Buffer.from('SEND\ndestination:/a\ncontent-length:4\n\n'),
      body,
      Buffer.from([0]),
    ]);
    for (let cut = 1; cut < wire.length; cut++) {
      const [frame] = parse([wire.subarray(0, cut), wire.subarray(cut)]);
      expect([...frame!.body]).toEqual([1, 0, 2, 0]);
    }
  });

  it('counts content-length in octets, not characters', () => {
    const text = 'héllo 👋';
    const length = Buffer.byteLength(text);
    const [frame] = parse([`SEND\ncontent-length:${length}\n\n${text}\0`], '1.2');
    expect(frame!.body.toString()).toBe(text);
  });

  it('reads a body up to the first NUL without content-length', () => {
    const frames = parse(['SEND\n\nab\0SEND\n\ncd\0'], '1.2');
    expect(frames.map((f) => f.body.toString())).toEqual(['ab', 'cd']);
  });

  it('takes the first of repeated content-length headers', () => {
    const [frame] = parse(['SEND\ncontent-length:2\ncontent-length:9\n\nab\0'], '1.2');
    expect(frame!.body.toString()).toBe('ab');
  });

  it('refuses a body not followed by NUL at its content-length', () => {
    expect(codeOf(() => parse(['SEND\ncontent-length:1\n\nab\0']))).toBe(ErrorCode.MalformedFrame);
  });
});

describe('FrameParser: headers', () => {
  it('keeps repeated headers in order and untrimmed; the first wins', () => {
    const [frame] = parse(['SEND\ndestination:/a\nk: one \nk:two\n\n\0'], '1.2');
    expect(header(frame!, 'k')).toBe(' one ');
    expect(frame!.headers.filter(([n]) => n === 'k').map(([, v]) => v)).toEqual([' one ', 'two']);
  });

  it('splits at the first colon only', () => {
    const [frame] = parse(['SEND\nk:a:b\n\n\0'], '1.0');
    expect(header(frame!, 'k')).toBe('a:b');
  });

  it('accepts CR LF line ends', () => {
    const [frame] = parse(['SEND\r\ndestination:/a\r\nk:v\r\n\r\nbody\0'], '1.2');
    expect(frame!.command).toBe('SEND');
    expect(header(frame!, 'k')).toBe('v');
    expect(frame!.body.toString()).toBe('body');
  });

  it('unescapes per version: 1.2 all four, 1.1 without \\r, 1.0 none', () => {
    expect(header(parse(['SEND\nk:a\\cb\\r\\n\\\\\n\n\0'], '1.2')[0]!, 'k')).toBe('a:b\r\n\\');
    expect(header(parse(['SEND\nk:a\\cb\\n\n\n\0'], '1.1')[0]!, 'k')).toBe('a:b\n');
    expect(codeOf(() => parse(['SEND\nk:a\\r\n\n\0'], '1.1'))).toBe(ErrorCode.InvalidEscape);
    expect(header(parse(['SEND\nk:a\\cb\n\n\0'], '1.0')[0]!, 'k')).toBe('a\\cb');
  });

  it('keeps a CR before LF as data in 1.1, whose lines end in LF alone', () => {
    expect(header(parse(['SEND\nk:a\r\n\n\0'], '1.1')[0]!, 'k')).toBe('a\r');
  });

  it('never unescapes CONNECT or STOMP headers', () => {
    expect(header(parse(['CONNECT\nlogin:a\\cb\n\n\0'], '1.2')[0]!, 'login')).toBe('a\\cb');
    expect(header(parse(['STOMP\npasscode:x\\ty\n\n\0'], '1.2')[0]!, 'passcode')).toBe('x\\ty');
  });

  it.each(['\\t', '\\', '\\x', '\\C'])(
    'treats the undefined escape %j as fatal (1.2)',
    (escape) => {
      expect(codeOf(() => parse([`SEND\nk:a${escape}\n\n\0`], '1.2'))).toBe(
        ErrorCode.InvalidEscape,
      );
    },
  );
});

describe('FrameParser: limits and malformed input fail with stable codes', () => {
  const small: ParserLimits = { maxBodySize: 256, maxHeaders: 4, maxHeaderLength: 64 };

  it.each([
    [ErrorCode.MalformedHeader, ['SEND\nnocolon\n\n\0']],
    [ErrorCode.MalformedHeader, ['SEND\n:value\n\n\0']],
    [ErrorCode.MalformedHeader, ['SEND\ncontent-length:-1\n\n\0']],
    [ErrorCode.MalformedHeader, ['SEND\ncontent-length:1x\n\n\0']],
    [ErrorCode.MalformedFrame, ['\rSEND\n\n\0']],
    [ErrorCode.FrameTooLarge, ['SEND\n\n' + 'x'.repeat(300)]],
    [ErrorCode.FrameTooLarge, ['SEND\ncontent-length:1000\n\n']],
    [ErrorCode.FrameTooLarge, ['SEND\n\n', 'x'.repeat(200), 'x'.repeat(200)]],
    [ErrorCode.HeaderTooLong, ['SEND\nk:' + 'x'.repeat(100)]],
    [ErrorCode.HeaderTooLong, ['SEND\nk:' + 'x'.repeat(100) + '\n\n\0']],
    [ErrorCode.TooManyHeaders, ['SEND\n' + 'k:v\n'.repeat(5) + '\n\0']],
  ])('%s', (code, chunks) => {
    expect(codeOf(() => parse(chunks, '1.2', small))).toBe(code);
  });

  it('accepts a body of exactly the size limit, whatever the command and headers add', () => {
    // spec 1.2 "Size Limits": the limit is on "the maximum size of a frame body"
    const head = 'SEND\nk:' + 'v'.repeat(60) + '\n\n';
    const body = 'x'.repeat(small.maxBodySize);
    expect(parse([head + body + '\0'], '1.2', small)).toHaveLength(1);
    const sized = `SEND\ncontent-length:${small.maxBodySize}\n\n${body}\0`;
    expect(parse([sized.slice(0, 40), sized.slice(40)], '1.2', small)).toHaveLength(1);
    expect(codeOf(() => parse([head + body + 'x\0'], '1.2', small))).toBe(ErrorCode.FrameTooLarge);
  });

  it('leaves unknown commands to the broker', () => {
    expect(parse(['FOO\n\n\0'])[0]!.command).toBe('FOO');
  });
});

import fc from 'fast-check';
import { StompError } from '../errors';
import { header, supportedVersions, type Frame } from '../frame';
import { FrameParser } from './parser';
import { serializeFrame } from './serializer';

const parse = (chunks: (string | Buffer)[], version?: '1.0' | '1.1' | '1.2'): Frame[] => {
  const parser = new FrameParser();
  parser.version = version;
  return chunks.flatMap((c) => parser.push(Buffer.isBuffer(c) ? c : Buffer.from(c)));
};
const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return error instanceof StompError ? error.code : 'not-a-StompError';
  }
  return undefined;
};

describe('FrameParser', () => {
  it('reads a frame split at every possible byte', () => {
    const wire = 'SEND\ndestination:/topic/a\nx:1\n\nhello\0';
    for (let cut = 1; cut < wire.length; cut++) {
      const [frame] = parse([wire.slice(0, cut), wire.slice(cut)], '1.2');
      expect(frame?.body.toString()).toBe('hello');
      expect(header(frame!, 'x')).toBe('1');
    }
  });

  it('reads several frames from one chunk, skipping heart-beat EOLs between them', () => {
    const frames = parse(
      ['\n\r\nSEND\ndestination:/a\n\none\0\n\nSEND\ndestination:/b\n\ntwo\0\r\n'],
      '1.2',
    );
    expect(frames.map((f) => f.body.toString())).toEqual(['one', 'two']);
  });

  it('takes NUL bytes inside a body with content-length', () => {
    const body = Buffer.from([1, 0, 2, 0]);
    const [frame] = parse([
      Buffer.concat([
        Buffer.from('SEND\ndestination:/a\ncontent-length:4\n\n'),
        body,
        Buffer.from([0]),
      ]),
    ]);
    expect([...frame!.body]).toEqual([1, 0, 2, 0]);
  });

  it('keeps repeated headers in order, untrimmed, with the first winning', () => {
    const [frame] = parse(['SEND\ndestination:/a\nk: one \nk:two\n\n\0'], '1.2');
    expect(header(frame!, 'k')).toBe(' one ');
    expect(frame!.headers.filter(([n]) => n === 'k')).toHaveLength(2);
  });

  it('unescapes per version and leaves CONNECT alone', () => {
    expect(header(parse(['SEND\nk:a\\cb\\r\n\n\0'], '1.2')[0]!, 'k')).toBe('a:b\r');
    expect(codeOf(() => parse(['SEND\nk:a\\r\n\n\0'], '1.1'))).toBe('invalid_escape');
    expect(header(parse(['SEND\nk:a\\cb\n\n\0'], '1.0')[0]!, 'k')).toBe('a\\cb');
    expect(header(parse(['CONNECT\nlogin:a\\cb\n\n\0'], '1.2')[0]!, 'login')).toBe('a\\cb');
  });

  it.each([
    ['unknown_command', ['FOO\n\n\0']],
    ['malformed_header', ['SEND\nnocolon\n\n\0']],
    ['malformed_header', ['SEND\ncontent-length:-1\n\n\0']],
    ['malformed_frame', ['SEND\ncontent-length:1\n\nab\0']],
    ['frame_too_large', ['SEND\n\n' + 'x'.repeat(200 * 1024)]],
    ['header_too_long', ['SEND\nk:' + 'x'.repeat(9000)]],
    ['too_many_headers', ['SEND\n' + 'k:v\n'.repeat(65) + '\n\0']],
  ])('fails with %s', (code, chunks) => {
    expect(codeOf(() => parse(chunks, '1.2'))).toBe(code);
  });
});

const headerText = fc.string({ unit: 'grapheme', maxLength: 12 });
const frameArb = fc.record({
  command: fc.constantFrom('SEND', 'SUBSCRIBE', 'ACK', 'BEGIN', 'DISCONNECT'),
  headers: fc.array(
    fc.tuple(
      headerText.filter((s) => s.length > 0),
      headerText,
    ),
    { maxLength: 6 },
  ),
  body: fc.uint8Array({ maxLength: 300 }),
});

describe('codec properties', () => {
  it.each(['1.1', '1.2'] as const)(
    'round-trips any frame through serialise and parse (%s)',
    (version) => {
      fc.assert(
        fc.property(frameArb, fc.array(fc.nat(), { maxLength: 4 }), (f, cuts) => {
          const wire = serializeFrame(f.command, f.headers, Buffer.from(f.body), version);
          const bytes = Buffer.isBuffer(wire) ? wire : Buffer.from(wire);
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort(
            (a, b) => a - b,
          );
          const chunks = [0, ...points].map((start, i) =>
            bytes.subarray(start, [...points, bytes.length][i]),
          );
          const [parsed, ...rest] = parse(chunks, version);
          expect(rest).toHaveLength(0);
          expect(parsed!.command).toBe(f.command);
          expect(parsed!.headers.filter(([n]) => n !== 'content-length')).toEqual(f.headers);
          expect(Buffer.compare(parsed!.body, Buffer.from(f.body))).toBe(0);
        }),
        { numRuns: 300 },
      );
    },
  );

  it('never throws anything but a StompError on random bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 5 }), (chunks) => {
        for (const version of supportedVersions) {
          const code = codeOf(() =>
            parse(
              chunks.map((c) => Buffer.from(c)),
              version,
            ),
          );
          expect(code).not.toBe('not-a-StompError');
        }
      }),
      { numRuns: 500 },
    );
  });
});

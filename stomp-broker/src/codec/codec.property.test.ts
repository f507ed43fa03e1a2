import fc from 'fast-check';
import { StompError } from '../errors';
import { supportedVersions, type StompVersion } from '../frame';
import { FrameParser } from './parser';
import { MessageTemplate, messagePrefix, serializeFrame } from './serializer';

function parseChunks(chunks: Buffer[], version: StompVersion | undefined) {
  const parser = new FrameParser({
    maxBodySize: 1 << 20,
    maxHeaders: 64,
    maxHeaderLength: 1 << 16,
  });
  parser.version = version;
  const frames = [];
  for (const chunk of chunks) {
    parser.push(chunk);
    for (let f = parser.next(); f; f = parser.next()) frames.push(f);
  }
  return frames;
}

/** Splits `bytes` at the given points (taken modulo its length). */
function split(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const bounds = [0, ...points, bytes.length];
  return bounds.slice(1).map((end, i) => bytes.subarray(bounds[i], end));
}

// 1.0 cannot escape, so its names and values hold no EOL and its names no colon.
const anyText = fc.string({ unit: 'grapheme', maxLength: 12 });
const textFor = (version: StompVersion) =>
  version === '1.0' ? anyText.map((s) => s.replace(/[\r\n]/g, '')) : anyText;
const nameFor = (version: StompVersion) =>
  textFor(version)
    .map((s) => (version === '1.0' ? s.replace(/:/g, '') : s))
    .filter((s) => s.length > 0);

const frameFor = (version: StompVersion) =>
  fc.record({
    command: fc.constantFrom('SEND', 'SUBSCRIBE', 'ACK', 'MESSAGE', 'ERROR', 'RECEIPT'),
    headers: fc.array(fc.tuple(nameFor(version), textFor(version)), { maxLength: 6 }),
    body: fc.uint8Array({ maxLength: 300 }),
  });

describe('codec properties', () => {
  it.each(supportedVersions)(
    'serialise → parse round-trips any frame, split anywhere (%s)',
    (version) => {
      fc.assert(
        fc.property(frameFor(version), fc.array(fc.nat(), { maxLength: 5 }), (f, cuts) => {
          const wire = serializeFrame(f.command, f.headers, Buffer.from(f.body), version);
          const bytes = Buffer.isBuffer(wire) ? wire : Buffer.from(wire);
          const frames = parseChunks(
            split(Buffer.concat([bytes, Buffer.from('\n')]), cuts),
            version,
          );
          expect(frames).toHaveLength(1);
          const [parsed] = frames;
          expect(parsed!.command).toBe(f.command);
          expect(parsed!.headers.filter(([n]) => n !== 'content-length')).toEqual(f.headers);
          expect(Buffer.compare(parsed!.body, Buffer.from(f.body))).toBe(0);
        }),
        { numRuns: 300 },
      );
    },
  );

  it.each(supportedVersions)(
    'a MESSAGE template parses back for every subscriber (%s)',
    (version) => {
      fc.assert(
        fc.property(
          nameFor(version),
          fc.array(fc.tuple(nameFor(version), textFor(version)), { maxLength: 4 }),
          fc.uint8Array({ maxLength: 100 }),
          (id, headers, body) => {
            const template = new MessageTemplate('/topic/x', headers, Buffer.from(body), 'm-1');
            const wire = template.render(version, messagePrefix(id, version), '7', true);
            const [frame] = parseChunks([wire], version);
            const get = (name: string) => frame!.headers.find(([n]) => n === name)?.[1];
            expect(frame!.command).toBe('MESSAGE');
            expect(get('subscription')).toBe(id);
            expect(get('message-id')).toBe('m-1');
            expect(get('ack')).toBe('7');
            expect(get('redelivered')).toBe('true');
            expect(Buffer.compare(frame!.body, Buffer.from(body))).toBe(0);
          },
        ),
        { numRuns: 200 },
      );
    },
  );

  it('several frames in one chunk, or one frame across many, parse the same', () => {
    fc.assert(
      fc.property(
        fc.array(frameFor('1.2'), { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat()),
        (fs, cuts) => {
          const wire = Buffer.concat(
            fs.map((f) => {
              const w = serializeFrame(f.command, f.headers, Buffer.from(f.body), '1.2');
              return Buffer.isBuffer(w) ? w : Buffer.from(w);
            }),
          );
          const whole = parseChunks([wire], '1.2');
          const pieces = parseChunks(split(wire, cuts), '1.2');
          expect(pieces).toEqual(whole);
          expect(whole.map((f) => f.command)).toEqual(fs.map((f) => f.command));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('random bytes in random chunks raise nothing but a StompError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.array(fc.nat()), (bytes, cuts) => {
        for (const version of [undefined, ...supportedVersions]) {
          try {
            parseChunks(split(Buffer.from(bytes), cuts), version);
          } catch (error) {
            expect(error).toBeInstanceOf(StompError);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

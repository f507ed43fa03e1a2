import { FrameRejection } from '@echopulse/stomp-broker';
import { parseEdit, parseMentions, parseNewMessage, parseReadMarker } from './message-input';

const rejection = (fn: () => unknown): FrameRejection => {
  try {
    fn();
  } catch (error) {
    if (error instanceof FrameRejection) return error;
    throw error;
  }
  throw new Error('expected a rejection');
};

describe('parseNewMessage', () => {
  it('trims content and keeps nonce and replyTo', () => {
    expect(parseNewMessage('{"content":"  hi  ","nonce":"n-1","replyTo":"123456789"}')).toEqual({
      content: 'hi',
      nonce: 'n-1',
      replyTo: '123456789',
    });
  });

  it.each([
    ['not json', 'not valid JSON'],
    ['{"content":"   ","nonce":"n"}', 'content is empty'],
    [`{"content":"${'x'.repeat(4001)}","nonce":"n"}`, 'exceeds 4000'],
    ['{"content":"hi"}', 'nonce'],
    ['{"content":"hi","nonce":"a b"}', 'printable ASCII'],
    ['{"content":"hi","nonce":"n","replyTo":"abc"}', 'not a message id'],
    ['{"content":"hi","nonce":"n","extra":1}', 'extra'],
    ['{"content":"a\\u0000b","nonce":"n"}', 'NUL'],
  ])('refuses %s', (body, text) => {
    const error = rejection(() => parseNewMessage(body));
    expect(error.code).toBe('invalid_message');
    expect(error.message).toContain(text);
  });

  it('counts characters, not UTF-16 units: 4000 emoji are allowed', () => {
    const content = '😀'.repeat(4000);
    expect(parseNewMessage(JSON.stringify({ content, nonce: 'n' })).content).toBe(content);
    expect(() => parseNewMessage(JSON.stringify({ content: content + '😀', nonce: 'n' }))).toThrow(
      FrameRejection,
    );
  });
});

describe('parseEdit and parseReadMarker', () => {
  it('accept what they should and refuse the rest', () => {
    expect(parseEdit('{"content":" new "}')).toEqual({ content: 'new' });
    expect(parseReadMarker('{"seq":5}')).toEqual({ seq: 5 });
    expect(rejection(() => parseReadMarker('{"seq":-1}')).code).toBe('invalid_message');
    expect(rejection(() => parseReadMarker('{"seq":1.5}')).code).toBe('invalid_message');
    expect(rejection(() => parseEdit('{"content":""}')).code).toBe('invalid_message');
  });
});

describe('deeply nested bodies', () => {
  // 60,000 levels fit in one frame (128 KiB); a body past maxFrameSize is frame_too_large
  const n = 60_000;
  const deep = (inner: string) => inner.replace('DEEP', '['.repeat(n) + ']'.repeat(n));

  it.each([
    ['a message', () => parseNewMessage(deep('{"content":DEEP,"nonce":"n"}'))],
    ['an unknown field', () => parseNewMessage(deep('{"content":"hi","nonce":"n","x":DEEP}'))],
    ['an edit', () => parseEdit(deep('{"content":DEEP}'))],
    ['a read marker', () => parseReadMarker(deep('DEEP'))],
  ])('refuses %s nested past 64 levels as invalid_message, saying so', (_what, parse) => {
    const started = performance.now();
    const error = rejection(parse);
    expect(error.code).toBe('invalid_message');
    expect(error.message).toMatch(/deeper than 64 levels/);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('takes 64 levels', () => {
    const body = `{"content":"hi","nonce":"n","x":${'['.repeat(63)}${']'.repeat(63)}}`;
    // 64 levels pass the depth check; the unknown field is what is refused
    expect(rejection(() => parseNewMessage(body)).message).toMatch(/x/);
  });
});

describe('parseMentions', () => {
  it('finds user mentions once each, in order', () => {
    expect(parseMentions('<@b-2> hi <@a-1> and <@b-2>', false)).toEqual({
      users: ['b-2', 'a-1'],
      everyone: false,
    });
  });

  it('counts @everyone only with the permission and only as a word', () => {
    expect(parseMentions('hey @everyone!', true).everyone).toBe(true);
    expect(parseMentions('hey @everyone!', false).everyone).toBe(false);
    expect(parseMentions('mail me at x@everyone.org', true).everyone).toBe(false);
  });
});

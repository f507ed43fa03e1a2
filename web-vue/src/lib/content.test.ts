import { mentionsUser, parseContent, safeHref } from './content';

describe('message content', () => {
  it('splits text, links, mentions and @everyone', () => {
    expect(parseContent('hi <@user-1>, see https://example.com/a?b=1. @everyone')).toEqual([
      { kind: 'text', text: 'hi ' },
      { kind: 'mention', userId: 'user-1' },
      { kind: 'text', text: ', see ' },
      { kind: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { kind: 'text', text: '. ' },
      { kind: 'everyone' },
    ]);
  });

  it('never makes a link of anything but http(s), and keeps markup as plain text', () => {
    const segments = parseContent(
      'javascript:alert(1) <img src=x onerror=alert(1)> data:text/html,hi',
    );
    expect(segments).toEqual([
      { kind: 'text', text: 'javascript:alert(1) <img src=x onerror=alert(1)> data:text/html,hi' },
    ]);
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('http://[bad')).toBeNull();
  });

  it('knows when a message mentions me', () => {
    expect(mentionsUser({ mentions: { users: ['me'], everyone: false } }, 'me')).toBe(true);
    expect(mentionsUser({ mentions: { users: [], everyone: true } }, 'me')).toBe(true);
    expect(mentionsUser({ mentions: { users: ['other'], everyone: false } }, 'me')).toBe(false);
  });
});

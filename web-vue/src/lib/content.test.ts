import { mentionsUser, safeHref } from './content';

describe('message content', () => {
  it('accepts only http(s) URLs as link addresses', () => {
    expect(safeHref('https://example.com/a?b=1')).toBe('https://example.com/a?b=1');
    expect(safeHref('HTTP://Example.com')).toBe('http://example.com/');
    for (const url of ['javascript:alert(1)', 'data:text/html,hi', 'mailto:a@b.c', 'http://[bad'])
      expect(safeHref(url)).toBeNull();
  });

  it('knows when a message mentions me', () => {
    expect(mentionsUser({ mentions: { users: ['me'], everyone: false } }, 'me')).toBe(true);
    expect(mentionsUser({ mentions: { users: [], everyone: true } }, 'me')).toBe(true);
    expect(mentionsUser({ mentions: { users: ['other'], everyone: false } }, 'me')).toBe(false);
  });
});

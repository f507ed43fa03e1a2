import type { ChatMessage } from '@echopulse/chat-contracts';
import { isNewer, parseChatRecord } from './chat-records';

const message: ChatMessage = {
  id: '100',
  seq: 1,
  channelId: '10',
  guildId: '1',
  author: { id: 'u1', username: 'alice' },
  content: 'hi',
  mentions: { users: [], everyone: false },
  createdAt: '2026-12-01T10:00:00.000Z',
};

describe('chat records', () => {
  it('parse what producers write and refuse malformed ones', () => {
    const record = { type: 'message.created', message, nonce: 'n' };
    expect(parseChatRecord(Buffer.from(JSON.stringify(record)))).toEqual(record);
    expect(() => parseChatRecord('{"type":"message.created"}')).toThrow();
    expect(() => parseChatRecord(JSON.stringify({ type: 'message.exploded', message }))).toThrow();
    expect(() => parseChatRecord('{')).toThrow();
    expect(() => parseChatRecord(null)).toThrow();
  });

  it('order states: delete is final, later edits win', () => {
    const edited = { ...message, content: 'x', editedAt: '2026-12-01T10:01:00.000Z' };
    const later = { ...edited, editedAt: '2026-12-01T10:02:00.000Z' };
    const deleted = { ...message, content: '', deletedAt: '2026-12-01T10:03:00.000Z' };
    expect(isNewer(message, undefined)).toBe(true);
    expect(isNewer(edited, message)).toBe(true);
    expect(isNewer(edited, later)).toBe(false);
    expect(isNewer(message, edited)).toBe(false);
    expect(isNewer(deleted, later)).toBe(true);
    expect(isNewer(later, deleted)).toBe(false);
  });
});

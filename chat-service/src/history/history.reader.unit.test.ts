import { MemoryMessages, message } from '../../test/fakes/memory-messages';
import { HistoryReader } from './history.reader';

// Which source answers and how the two merge, over in-memory stand-ins for Redis (the recent run)
// and Postgres (the archive). test/history-bounds.test.ts and chat.test.ts read the real ones.

describe('HistoryReader', () => {
  let cache: MemoryMessages;
  let archive: MemoryMessages;
  let reader: HistoryReader;
  const seqs = (messages: { seq: number }[]) => messages.map((m) => m.seq);
  const upTo = (n: number, from = 1) =>
    Array.from({ length: n - from + 1 }, (_, i) => message('7', from + i));

  beforeEach(() => {
    cache = new MemoryMessages();
    archive = new MemoryMessages();
    reader = new HistoryReader(cache, archive);
  });

  it('answers the latest page from Redis alone when its run covers it', async () => {
    archive.put(...upTo(20));
    cache.put(...upTo(20, 11));
    expect(seqs(await reader.read('7', { limit: 5 }))).toEqual([16, 17, 18, 19, 20]);
    expect(archive.reads).toEqual([]);
  });

  it('answers a young channel (all of it cached from seq 1) from Redis alone', async () => {
    cache.put(...upTo(3));
    expect(seqs(await reader.read('7', { limit: 50 }))).toEqual([1, 2, 3]);
    expect(archive.reads).toEqual([]);
  });

  it('reads the archive when Redis was flushed, and merges when Redis holds only the newest', async () => {
    archive.put(...upTo(18));
    expect(seqs(await reader.read('7', { limit: 5 }))).toEqual([14, 15, 16, 17, 18]);
    // 19 and 20 not archived yet; the archive's answer stops at 18.
    cache.put(...upTo(20, 19));
    expect(seqs(await reader.read('7', { limit: 5 }))).toEqual([16, 17, 18, 19, 20]);
    expect(archive.reads).toEqual(['latest 5', 'latest 5']);
  });

  it('pages by after, before and around, from Redis when it covers the range, else merged without gaps', async () => {
    archive.put(...upTo(30));
    cache.put(...upTo(30, 21));
    expect(seqs(await reader.read('7', { after: 22, limit: 3 }))).toEqual([23, 24, 25]);
    expect(archive.reads).toEqual([]);
    expect(seqs(await reader.read('7', { before: 23, limit: 4 }))).toEqual([19, 20, 21, 22]);
    expect(archive.reads).toEqual(['range 19-22']);
    expect(seqs(await reader.read('7', { around: 10, limit: 5 }))).toEqual([8, 9, 10, 11, 12]);
    expect(seqs(await reader.read('7', { before: 3, limit: 10 }))).toEqual([1, 2]);
    expect(await reader.read('7', { before: 1, limit: 10 })).toEqual([]);
  });

  it('reads the archive too when Redis has a hole in the range', async () => {
    archive.put(...upTo(10));
    cache.put(message('7', 8), message('7', 10));
    expect(seqs(await reader.read('7', { after: 7, limit: 3 }))).toEqual([8, 9, 10]);
    expect(archive.reads).toEqual(['range 8-10']);
  });

  it('keeps each message in its most advanced state, whichever source has it', async () => {
    const edited = { editedAt: '2026-01-02T00:00:00.000Z', content: 'edited' };
    const deleted = { deletedAt: '2026-01-03T00:00:00.000Z', content: '' };
    archive.put(message('7', 1), message('7', 2, deleted), message('7', 3, edited));
    cache.put(message('7', 2, edited), message('7', 3));
    const page = await reader.read('7', { after: 0, limit: 3 });
    expect(page.map((m) => [m.seq, m.content])).toEqual([
      [1, 'message 1'],
      [2, ''],
      [3, 'edited'],
    ]);
    const cachedEdit = { editedAt: '2026-01-04T00:00:00.000Z', content: 'newer' };
    cache.put(message('7', 1), message('7', 1, cachedEdit));
    expect((await reader.read('7', { after: 0, limit: 3 }))[0]!.content).toBe('newer');
  });

  it('finds one message by id in its newest state, also before it is archived, only in its channel', async () => {
    archive.put(message('7', 1));
    cache.put(message('7', 1, { editedAt: '2026-01-02T00:00:00.000Z', content: 'edited' }));
    expect((await reader.byId('7', message('7', 1).id))?.content).toBe('edited');
    // Not archived yet: the state the sequencer recorded, or Redis' newer one.
    const recent = message('7', 2);
    expect(await reader.byId('7', recent.id, recent)).toEqual(recent);
    expect(await reader.byId('8', message('7', 1).id)).toBeUndefined();
    expect(await reader.byId('7', 'nope')).toBeUndefined();
  });
});

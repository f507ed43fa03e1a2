import { buildTimeline, dayLabel } from './timeline';

const msg = (seq: number, author: string, at: string) => ({
  key: `k${seq}`,
  seq,
  author: { id: author },
  createdAt: at,
});

describe('timeline', () => {
  it('groups one author within minutes, separates days, and marks where unread starts', () => {
    const rows = buildTimeline(
      [
        msg(1, 'a', '2026-01-01T10:00:00'),
        msg(2, 'a', '2026-01-01T10:03:00'), // grouped
        msg(3, 'a', '2026-01-01T10:20:00'), // too late: new header
        msg(4, 'b', '2026-01-01T10:21:00'),
        msg(5, 'b', '2026-01-02T09:00:00'), // next day
        msg(6, 'b', '2026-01-02T09:01:00'), // unread from here: the divider breaks the group
      ],
      5,
      new Date('2026-01-02T12:00:00'),
    );
    expect(
      rows.map((r) =>
        r.kind === 'message'
          ? `${r.message.seq}${r.grouped ? 'g' : ''}`
          : r.kind === 'day'
            ? r.label
            : 'NEW',
      ),
    ).toEqual([
      dayLabel(new Date('2026-01-01T10:00:00'), new Date('2026-01-02T12:00:00')),
      '1',
      '2g',
      '3',
      '4',
      'Today',
      '5',
      'NEW',
      '6',
    ]);
    expect(dayLabel(new Date('2026-01-01T10:00:00'), new Date('2026-01-02T12:00:00'))).toBe(
      'Yesterday',
    );
  });

  it('draws no divider when everything is read or nothing was read before', () => {
    const list = [msg(1, 'a', '2026-01-01T10:00:00'), msg(2, 'a', '2026-01-01T10:01:00')];
    expect(buildTimeline(list, 2).some((r) => r.kind === 'new')).toBe(false);
    expect(buildTimeline(list, null).some((r) => r.kind === 'new')).toBe(false);
  });
});

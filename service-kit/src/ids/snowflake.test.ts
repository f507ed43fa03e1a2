import { isSnowflake, SnowflakeGenerator, snowflakeTime } from './snowflake';

describe('SnowflakeGenerator', () => {
  it('makes unique, increasing ids that carry their time', () => {
    let now = Date.UTC(2026, 10, 22, 12);
    const ids = new SnowflakeGenerator(7, () => now);
    const made = Array.from({ length: 10_000 }, () => ids.next());
    expect(new Set(made).size).toBe(made.length);
    const asBig = made.map(BigInt);
    expect(asBig.every((id, i) => i === 0 || id > asBig[i - 1]!)).toBe(true);
    expect(snowflakeTime(made[0]!).getTime()).toBe(now);
    now += 5;
    expect(snowflakeTime(ids.next()).getTime()).toBeGreaterThanOrEqual(now);
  });

  it('never repeats an id when the clock steps back', () => {
    let now = Date.UTC(2026, 10, 22, 12);
    const ids = new SnowflakeGenerator(1, () => now);
    const before = BigInt(ids.next());
    now -= 1000;
    expect(BigInt(ids.next())).toBeGreaterThan(before);
  });

  it('keeps workers apart and refuses a worker id out of range', () => {
    const now = () => Date.UTC(2026, 10, 22);
    expect(new SnowflakeGenerator(1, now).next()).not.toBe(new SnowflakeGenerator(2, now).next());
    expect(() => new SnowflakeGenerator(1024)).toThrow(RangeError);
  });

  it('recognises snowflake strings', () => {
    expect(isSnowflake(new SnowflakeGenerator(0).next())).toBe(true);
    for (const bad of ['', '0', '-1', '12a', '99999999999999999999', '01'])
      expect(isSnowflake(bad)).toBe(false);
  });
});

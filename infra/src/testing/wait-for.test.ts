import { waitFor } from './wait-for';

describe('waitFor', () => {
  it('polls until the check answers a value, and resolves with it', async () => {
    let calls = 0;
    const value = await waitFor('the third call', () => (++calls >= 3 ? { calls } : undefined));
    expect(value).toEqual({ calls: 3 });
  });

  it('keeps polling on undefined, null and false, but not on 0 or an empty string', async () => {
    const answers: unknown[] = [undefined, null, false, 0];
    expect(await waitFor('zero', async () => answers.shift() as number | undefined, 1000, 1)).toBe(
      0,
    );
    expect(await waitFor('empty', () => '', 1000, 1)).toBe('');
  });

  it('fails after the timeout, naming what it waited for and the last state', async () => {
    let seen = 0;
    await expect(
      waitFor(
        () => `seen = 5 (last: ${seen})`,
        () => {
          seen += 1;
          return false;
        },
        60,
        10,
      ),
    ).rejects.toThrow(/timed out after 60 ms waiting for seen = 5 \(last: \d+\)/);
  });
});

import { relayLockKey } from './outbox.config';
import { DEFAULT_RELAY_LOCK_KEY } from './outbox.relay';

describe('relayLockKey', () => {
  it('gives each schema its own leader lock, public the historical one', () => {
    expect(relayLockKey('public')).toBe(DEFAULT_RELAY_LOCK_KEY);
    const a = relayLockKey('bench_a');
    expect(a).toBe(relayLockKey('bench_a'));
    expect(a).not.toBe(relayLockKey('bench_b'));
    expect(a).not.toBe(DEFAULT_RELAY_LOCK_KEY);
  });
});

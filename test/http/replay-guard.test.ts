import { MAX_CLOCK_SKEW_MS, REPLAY_WINDOW_MS, ReplayGuard } from '../../src/http/replay-guard';

describe('ReplayGuard', () => {
  let nowMs = 1_000_000;
  const now = () => nowMs;

  beforeEach(() => {
    nowMs = 1_000_000;
  });

  it('lets a signature through once and refuses it again within the window', () => {
    const guard = new ReplayGuard(now);
    expect(guard.isReplay('v0=aaa')).toBe(false);
    expect(guard.isReplay('v0=bbb')).toBe(false);
    nowMs += REPLAY_WINDOW_MS - 1;
    expect(guard.isReplay('v0=aaa')).toBe(true);
  });

  it('forgets a signature after the window (Bolt refuses such a stale request anyway)', () => {
    const guard = new ReplayGuard(now);
    guard.isReplay('v0=aaa');
    nowMs += REPLAY_WINDOW_MS + 1;
    expect(guard.isReplay('v0=aaa')).toBe(false);
  });

  it('leaves requests without a usable signature to the verifier', () => {
    const guard = new ReplayGuard(now);
    for (const missing of [undefined, '', ['v0=a', 'v0=b']]) {
      expect(guard.isReplay(missing)).toBe(false);
      expect(guard.isReplay(missing)).toBe(false);
    }
  });

  it('remembers a bounded number of signatures, dropping the oldest first', () => {
    const guard = new ReplayGuard(now, 3);
    for (const signature of ['v0=1', 'v0=2', 'v0=3', 'v0=4']) expect(guard.isReplay(signature)).toBe(false);
    expect(guard.isReplay('v0=4')).toBe(true);
    expect(guard.isReplay('v0=2')).toBe(true);
    // The oldest was dropped to make room.
    expect(guard.isReplay('v0=1')).toBe(false);
  });

  it('refuses a timestamp more than five minutes ahead of the clock, and leaves the rest to the signature check', () => {
    const guard = new ReplayGuard(now);
    const seconds = (ms: number) => String(Math.floor(ms / 1000));
    expect(guard.refusal({ signature: 'v0=a', timestamp: seconds(nowMs + MAX_CLOCK_SKEW_MS + 2_000) })).toBe(
      'timestamp_in_the_future',
    );
    expect(guard.refusal({ signature: 'v0=b', timestamp: seconds(nowMs + MAX_CLOCK_SKEW_MS - 2_000) })).toBeUndefined();
    expect(guard.refusal({ signature: 'v0=b', timestamp: seconds(nowMs) })).toBe('replayed');
    // Old, missing or garbled timestamps are Bolt's to refuse.
    expect(guard.refusal({ signature: 'v0=c', timestamp: seconds(nowMs - 3_600_000) })).toBeUndefined();
    expect(guard.refusal({ signature: 'v0=d', timestamp: 'soon' })).toBeUndefined();
    expect(guard.refusal({ signature: 'v0=e', timestamp: undefined })).toBeUndefined();
  });
});

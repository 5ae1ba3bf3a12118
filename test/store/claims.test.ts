import { workspaceScopedKey } from '../../src/store';
import { describeEachBackend, storeErrorOf, useBackend } from './support';

const KEY = workspaceScopedKey({ teamId: 'T0CLAIM1' }, 'digest', 'weekly', '2026-05-04');

/** A clock the test moves by hand. */
function manualClock(start: string) {
  let now = new Date(start).getTime();
  return {
    now: () => new Date(now),
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describeEachBackend('claims', (backend) => {
  const ctx = useBackend(backend);

  it('gives a key to exactly one of many parallel callers', async () => {
    const store = await ctx.open();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, index) => store.claims.claim(KEY, `worker-${index}`, 60_000)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = `worker-${results.indexOf(true)}`;
    expect((await store.claims.get(KEY))?.owner).toBe(winner);
  });

  it('gives a key to exactly one of two store instances racing on the same backend', async () => {
    const [first, second] = await Promise.all([ctx.open(), ctx.open()]);
    const attempts = Array.from({ length: 20 }, (_, index) => [
      first.claims.claim(KEY, `replica-a-${index}`, 60_000),
      second.claims.claim(KEY, `replica-b-${index}`, 60_000),
    ]).flat();
    const results = await Promise.all(attempts);
    expect(results.filter(Boolean)).toHaveLength(1);
    const seenByFirst = await first.claims.get(KEY);
    const seenBySecond = await second.claims.get(KEY);
    expect(seenByFirst?.owner).toBeDefined();
    expect(seenBySecond?.owner).toBe(seenByFirst?.owner);
  });

  it('records owner and times, releases only for the owner, then frees the key', async () => {
    const clock = manualClock('2026-05-04T09:00:00.000Z');
    const store = await ctx.open({ now: clock.now });
    expect(await store.claims.get(KEY)).toBeUndefined();
    expect(await store.claims.claim(KEY, 'replica-a', 90_000)).toBe(true);
    expect(await store.claims.get(KEY)).toEqual({
      key: KEY,
      owner: 'replica-a',
      claimedAt: new Date('2026-05-04T09:00:00.000Z'),
      expiresAt: new Date('2026-05-04T09:01:30.000Z'),
    });
    expect(await store.claims.claim(KEY, 'replica-b', 90_000)).toBe(false);
    expect(await store.claims.release(KEY, 'replica-b')).toBe(false);
    expect((await store.claims.get(KEY))?.owner).toBe('replica-a');
    expect(await store.claims.release(KEY, 'replica-a')).toBe(true);
    expect(await store.claims.release(KEY, 'replica-a')).toBe(false);
    expect(await store.claims.get(KEY)).toBeUndefined();
    expect(await store.claims.claim(KEY, 'replica-b', 90_000)).toBe(true);
  });

  it('rejects malformed claims', async () => {
    const store = await ctx.open();
    expect((await storeErrorOf(store.claims.claim('has space', 'a', 1_000))).kind).toBe('invalid');
    expect((await storeErrorOf(store.claims.claim(KEY, '', 1_000))).kind).toBe('invalid');
    expect((await storeErrorOf(store.claims.claim(KEY, 'a', 0))).kind).toBe('invalid');
    expect((await storeErrorOf(store.claims.claim(KEY, 'a', 1.5))).kind).toBe('invalid');
  });

  if (backend.name === 'redis') {
    it('leaves expiry to Redis (SET NX PX)', async () => {
      const store = await ctx.open();
      expect(await store.claims.claim(KEY, 'replica-a', 45_000)).toBe(true);
      const raw = await ctx.raw();
      const ttl = await raw.ttlMs?.(`${ctx.namespace}:claims:${KEY}`);
      expect(ttl).toBeGreaterThan(40_000);
      expect(ttl).toBeLessThanOrEqual(45_000);
    });
  } else {
    it('lets exactly one caller take over an expired claim', async () => {
      const clock = manualClock('2026-05-04T09:00:00.000Z');
      const [first, second] = await Promise.all([ctx.open({ now: clock.now }), ctx.open({ now: clock.now })]);
      expect(await first.claims.claim(KEY, 'crashed-replica', 1_000)).toBe(true);
      clock.advance(999);
      expect(await second.claims.claim(KEY, 'replica-b', 1_000)).toBe(false);
      clock.advance(1);
      expect(await first.claims.get(KEY)).toBeUndefined();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          (index % 2 ? first : second).claims.claim(KEY, `taker-${index}`, 1_000),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await first.claims.get(KEY))?.owner).toBe(`taker-${results.indexOf(true)}`);
      // The crashed owner's late release must not free its successor's claim.
      expect(await first.claims.release(KEY, 'crashed-replica')).toBe(false);
    });
  }
});

import { HOME_CACHE_TTL_MS, TtlCache } from '../../src/home/cache';

function clock(start = Date.parse('2026-11-26T15:00:00Z')) {
  let at = start;
  return { now: () => new Date(at), advance: (ms: number) => (at += ms) };
}

/** A load that counts its calls and returns `value-<n>`. */
function counter() {
  let calls = 0;
  return {
    load: async () => `value-${++calls}`,
    get calls() {
      return calls;
    },
  };
}

describe('TtlCache', () => {
  it('reuses a value until its time is up, then loads again', async () => {
    const time = clock();
    const cache = new TtlCache<string>(time.now);
    const source = counter();
    expect(await cache.get('k', source.load)).toBe('value-1');
    time.advance(HOME_CACHE_TTL_MS - 1);
    expect(await cache.get('k', source.load)).toBe('value-1');
    time.advance(1);
    expect(await cache.get('k', source.load)).toBe('value-2');
    expect(source.calls).toBe(2);
  });

  it('keeps keys apart', async () => {
    const cache = new TtlCache<string>(clock().now);
    const source = counter();
    await cache.get('a', source.load);
    await cache.get('b', source.load);
    expect(await cache.get('a', source.load)).toBe('value-1');
    expect(await cache.get('b', source.load)).toBe('value-2');
  });

  it('shares one load between callers asking at the same time', async () => {
    const cache = new TtlCache<string>(clock().now);
    const source = counter();
    const answers = await Promise.all([cache.get('k', source.load), cache.get('k', source.load)]);
    expect(answers).toEqual(['value-1', 'value-1']);
    expect(source.calls).toBe(1);
  });

  it('forgets a failed load, so the next caller tries again', async () => {
    const cache = new TtlCache<string>(clock().now);
    await expect(cache.get('k', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('k', async () => 'back')).toBe('back');
  });

  it('forgets a value the caller does not want kept', async () => {
    const cache = new TtlCache<string>(clock().now);
    const source = counter();
    const keep = (value: string) => value !== 'value-1';
    expect(await cache.get('k', source.load, keep)).toBe('value-1');
    expect(await cache.get('k', source.load, keep)).toBe('value-2');
    expect(await cache.get('k', source.load, keep)).toBe('value-2');
  });

  it('holds at most its capacity, dropping the oldest entry', async () => {
    const cache = new TtlCache<string>(clock().now, HOME_CACHE_TTL_MS, 2);
    const source = counter();
    await cache.get('a', source.load);
    await cache.get('b', source.load);
    await cache.get('c', source.load);
    expect(cache.size).toBe(2);
    expect(await cache.get('a', source.load)).toBe('value-4');
    cache.clear();
    expect(cache.size).toBe(0);
  });
});

/**
 * A small seeded random source, so generated fixtures are the same on every machine and every run
 * (benchmarks compare runs; tests assert exact values).
 */
export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** Lowercase UUID in version-4 layout (the version and variant bits set), drawn from the seed. */
  uuid(): string;
  /** A Stripe-looking invoice id such as `in_1QxY...`; 27 characters like Stripe's. */
  stripeInvoiceId(): string;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** mulberry32: tiny, fast, and good enough for demo data. */
export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const hex = (length: number): string => {
    let out = '';
    for (let i = 0; i < length; i++) out += int(0, 15).toString(16);
    return out;
  };
  return {
    next,
    int,
    pick<T>(items: readonly T[]): T {
      const item = items[int(0, items.length - 1)];
      if (item === undefined) throw new RangeError('cannot pick from an empty list');
      return item;
    },
    uuid(): string {
      const variant = '89ab'[int(0, 3)];
      return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
    },
    stripeInvoiceId(): string {
      let tail = '';
      for (let i = 0; i < 22; i++) tail += ALPHANUMERIC[int(0, ALPHANUMERIC.length - 1)];
      return `in_1Q${tail}`;
    },
  };
}

/** Small, exact statistics over samples; no interpolation, so a reported p99 is a latency that happened. */

/** The nearest-rank percentile (p in 0..100) of `samples`; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  if (!(p >= 0 && p <= 100)) throw new RangeError('a percentile lies between 0 and 100');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/** p50, p99 and max, the figures every latency in the report is given as. */
export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export function summarize(samples: readonly number[]): LatencySummary {
  return {
    count: samples.length,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    max: samples.length === 0 ? Number.NaN : Math.max(...samples),
  };
}

/**
 * The most events any one key saw within any window of `windowMs` (a window starting at each event),
 * e.g. the most messages one channel received in any second.
 */
export function busiestWindow(events: ReadonlyArray<{ key: string; at: number }>, windowMs: number): number {
  const byKey = new Map<string, number[]>();
  for (const { key, at } of events) {
    const times = byKey.get(key);
    if (times) times.push(at);
    else byKey.set(key, [at]);
  }
  let busiest = 0;
  for (const times of byKey.values()) {
    times.sort((a, b) => a - b);
    let start = 0;
    for (let end = 0; end < times.length; end++) {
      while ((times[end] as number) - (times[start] as number) >= windowMs) start++;
      busiest = Math.max(busiest, end - start + 1);
    }
  }
  return busiest;
}

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export const MIB = 1024 * 1024;

export function mib(bytes: number): number {
  return round(bytes / MIB, 1);
}

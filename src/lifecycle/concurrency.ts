/** Small helpers the schedulers share: bounded fan-out, bounded waits and checked numeric options. */

/** Runs `work` over `items` with at most `limit` at a time; `work` must not throw. */
export async function eachWithConcurrency<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await pullWithConcurrency(async () => (next < items.length ? { item: items[next++] as T } : undefined), limit, work);
}

/**
 * Runs `work` on whatever `pull` hands out, at most `limit` at a time, until `pull` resolves to
 * undefined. A free worker pulls the next item at once instead of waiting for the slowest of a batch.
 * Neither `pull` nor `work` may throw.
 */
export async function pullWithConcurrency<T>(
  pull: () => Promise<{ item: T } | undefined>,
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const worker = async () => {
    for (let next = await pull(); next !== undefined; next = await pull()) await work(next.item);
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
}

/**
 * Waits for `work` at most `ms`. The work is not cancelled when the time is up: it goes on, and
 * whoever started it still owns its result. The timer never keeps the process alive.
 */
export async function waitAtMost<T>(work: Promise<T>, ms: number): Promise<{ value: T } | 'timed-out'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timed-out'>((resolve) => {
    timer = setTimeout(() => resolve('timed-out'), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work.then((value) => ({ value })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** An optional positive option: the fallback when absent, a RangeError naming it when not positive. */
export function positiveOption(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${what} must be a positive number`);
  return value;
}

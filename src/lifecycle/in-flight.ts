/**
 * Keeps count of work that outlives the request that started it (a slash command is acked at once,
 * then answered later), so shutdown can wait for it instead of cutting answers off.
 */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();
  private closed = false;

  get size(): number {
    return this.running.size;
  }

  get accepting(): boolean {
    return !this.closed;
  }

  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const forget = () => this.running.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** Stops counting new work as welcome and resolves true once all tracked work settled, false on timeout. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref();
    });
    const settled = (async () => {
      while (this.running.size > 0) await Promise.allSettled([...this.running]);
      return true as const;
    })();
    try {
      return await Promise.race([settled, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Serialises async work per key inside one process, so two read-modify-write cycles on the same
 * workspace cannot interleave and lose an update. It does nothing across processes.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work);
    // The chain must survive a failed step, so the stored tail swallows the outcome.
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      // Forget the key once nothing is queued behind us, so the map does not grow with every workspace.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys with work running or queued; for tests. */
  get size(): number {
    return this.tails.size;
  }
}

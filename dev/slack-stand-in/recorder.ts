interface Waiter<T> {
  predicate: (item: T) => boolean;
  resolve: (item: T) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * An append-only list that tests can wait on. `waitFor` looks at what is already recorded first, so a test that
 * waits after the fact does not race the server.
 */
export class Recorder<T> {
  private readonly items: T[] = [];
  private readonly waiters = new Set<Waiter<T>>();

  add(item: T): void {
    this.items.push(item);
    for (const waiter of [...this.waiters]) {
      if (waiter.predicate(item)) {
        this.settle(waiter);
        waiter.resolve(item);
      }
    }
  }

  list(predicate?: (item: T) => boolean): T[] {
    return predicate ? this.items.filter(predicate) : [...this.items];
  }

  last(predicate: (item: T) => boolean): T | undefined {
    for (let i = this.items.length - 1; i >= 0; i -= 1) {
      const item = this.items[i];
      if (item !== undefined && predicate(item)) return item;
    }
    return undefined;
  }

  waitFor(predicate: (item: T) => boolean, timeoutMs: number, description: string): Promise<T> {
    const existing = this.items.find(predicate);
    if (existing !== undefined) return Promise.resolve(existing);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.settle(waiter);
          reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${description}`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  clear(): void {
    this.items.length = 0;
  }

  /** Fails every pending wait, e.g. when the server stops, so no test hangs until its own timeout. */
  abandonWaiters(reason: string): void {
    for (const waiter of [...this.waiters]) {
      this.settle(waiter);
      waiter.reject(new Error(reason));
    }
  }

  private settle(waiter: Waiter<T>): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
  }
}

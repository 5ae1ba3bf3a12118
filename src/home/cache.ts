/**
 * A short in-memory cache of Viam reads for the Home tab, so a user flicking between tabs (each
 * switch is an `app_home_opened`) does not call Viam every time. It is only a cache: every replica
 * has its own, an entry lives a minute at most, and nothing is decided from it.
 */

/** How long one load is reused. */
export const HOME_CACHE_TTL_MS = 60_000;
const MAX_ENTRIES = 2_000;

interface Entry<V> {
  value: Promise<V>;
  expires: number;
}

export class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(
    private readonly now: () => Date,
    private readonly ttlMs: number = HOME_CACHE_TTL_MS,
    private readonly maxEntries: number = MAX_ENTRIES,
  ) {}

  /**
   * The cached value, or `load()`'s. Concurrent callers share one load. A load that fails, or whose
   * value `keep` turns down (a partial answer), is not kept, so the next open tries again.
   */
  get(key: string, load: () => Promise<V>, keep: (value: V) => boolean = () => true): Promise<V> {
    const at = this.now().getTime();
    const cached = this.entries.get(key);
    if (cached && cached.expires > at) return cached.value;
    if (cached) this.entries.delete(key);

    const value = load();
    const entry: Entry<V> = { value, expires: at + this.ttlMs };
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, entry);
    const forget = () => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    };
    value.then((result) => {
      if (!keep(result)) forget();
    }, forget);
    return value;
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

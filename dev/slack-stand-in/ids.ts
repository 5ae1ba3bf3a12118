/**
 * Deterministic Slack-shaped identifiers. Counters instead of randomness keep test output reproducible; the `SI`
 * infix marks every generated id as the stand-in's so it can never be mistaken for a real workspace object.
 */
export class IdFactory {
  private readonly counters = new Map<string, number>();

  /** `C`, `G`, `D`, `U`, `B`, `T`, `F`, `V` ... followed by 9 upper-case alphanumerics (Slack's ID alphabet). */
  next(prefix: string): string {
    return `${prefix}SI${this.count(prefix).toString(36).toUpperCase().padStart(7, '0')}`;
  }

  /** Message timestamps are `<seconds>.<6 digits>` and unique per channel; a global sequence keeps them unique. */
  messageTs(nowMs: number): string {
    const seq = this.count('ts') % 1_000_000;
    return `${Math.floor(nowMs / 1000)}.${String(seq).padStart(6, '0')}`;
  }

  /** Same shape as Slack's trigger ids: `<digits>.<digits>.<hex>`. */
  triggerId(nowMs: number): string {
    const n = this.count('trigger');
    return `${Math.floor(nowMs / 1000)}.${100000000 + n}.${n.toString(16).padStart(20, '5')}`;
  }

  /** An opaque token for URLs (upload, response_url, socket ticket); unique, not secret. */
  opaque(kind: string): string {
    return `${kind}${this.count(`opaque:${kind}`).toString(36).padStart(6, '0')}`;
  }

  count(key: string): number {
    const n = (this.counters.get(key) ?? 0) + 1;
    this.counters.set(key, n);
    return n;
  }
}

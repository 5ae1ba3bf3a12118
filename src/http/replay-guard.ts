/**
 * Checks on signed Slack requests that Bolt's verifier leaves out, made before Bolt sees the request.
 *
 * Replays: Slack's signature covers the timestamp and the body, and Bolt refuses anything older than
 * five minutes, but within those five minutes a captured request would verify again and run again (a
 * second `digest now`, a second shared PDF). Slack sends every delivery, retries included, with a
 * fresh timestamp and signature, so a signature seen twice is a replay. Signatures are remembered for
 * the staleness window plus a minute; the memory is bounded, and per process (a replay sent to another
 * replica is only stopped by the window).
 *
 * Timestamps from the future: Slack says a timestamp may differ from the clock by at most five
 * minutes either way, but Bolt only refuses old ones. A request dated ahead would stay valid (and
 * replayable once forgotten here) for as long as it is dated ahead.
 */
export const REPLAY_WINDOW_MS = 6 * 60_000;
/** Slack's allowed difference between a request's timestamp and the clock. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
const DEFAULT_MAX_REMEMBERED = 50_000;

export type SlackRequestRefusal = 'replayed' | 'timestamp_in_the_future';

type HeaderValue = string | string[] | undefined;

export class ReplayGuard {
  /** Signature to when it was first seen, oldest first (a Map keeps insertion order). */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxRemembered: number = DEFAULT_MAX_REMEMBERED,
  ) {}

  /**
   * Why this request must be refused, or undefined to let Bolt verify it. Headers that are missing or
   * malformed are not judged here: Bolt refuses those.
   */
  refusal(headers: { signature: HeaderValue; timestamp: HeaderValue }): SlackRequestRefusal | undefined {
    const at = this.now();
    const timestampSeconds = typeof headers.timestamp === 'string' ? Number(headers.timestamp) : Number.NaN;
    if (Number.isFinite(timestampSeconds) && timestampSeconds * 1000 > at + MAX_CLOCK_SKEW_MS) {
      return 'timestamp_in_the_future';
    }
    return this.isReplay(headers.signature, at) ? 'replayed' : undefined;
  }

  /** True when this signature was already presented within the window; otherwise remembers it. */
  isReplay(signature: HeaderValue, at: number = this.now()): boolean {
    if (typeof signature !== 'string' || signature === '') return false;
    this.forgetBefore(at - REPLAY_WINDOW_MS);
    if (this.seen.has(signature)) return true;
    this.seen.set(signature, at);
    if (this.seen.size > this.maxRemembered) this.seen.delete(this.seen.keys().next().value as string);
    return false;
  }

  private forgetBefore(cutoff: number): void {
    for (const [signature, at] of this.seen) {
      if (at >= cutoff) return;
      this.seen.delete(signature);
    }
  }
}

/**
 * Slack allows about one message per second per channel. Posts to the same channel are spaced out
 * by reservation: each caller is given the next free slot and waits for it, so concurrent runs
 * queue up in call order instead of racing. The clock and the wait are injected; tests never sleep.
 */

export const SLACK_CHANNEL_INTERVAL_MS = 1_000;

export interface PacerOptions {
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  intervalMs?: number;
}

export class ChannelPacer {
  private readonly nextFree = new Map<string, number>();
  private readonly intervalMs: number;

  constructor(private readonly options: PacerOptions) {
    this.intervalMs = options.intervalMs ?? SLACK_CHANNEL_INTERVAL_MS;
  }

  /** Resolves when a message may be posted to `channelKey` (e.g. `T123:C456`); the slot is then used up. */
  async acquire(channelKey: string): Promise<void> {
    const now = this.options.now().getTime();
    this.forgetIdle(now);
    const slot = Math.max(now, this.nextFree.get(channelKey) ?? now);
    this.nextFree.set(channelKey, slot + this.intervalMs);
    if (slot > now) await this.options.sleep(slot - now);
  }

  /** Channels whose next slot has passed need no entry; keeps the map as small as the busy channels. */
  private forgetIdle(now: number): void {
    if (this.nextFree.size < 1_000) return;
    for (const [key, free] of this.nextFree) if (free <= now) this.nextFree.delete(key);
  }
}

export function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

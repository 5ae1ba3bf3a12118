/**
 * Samples this process's resident set size (process.memoryUsage.rss(), the cheap form of
 * process.memoryUsage().rss) on a short timer. A sample
 * that falls during synchronous work is taken right after it; memory the work still holds then is
 * still counted, so the peak is what the process really used, give or take one interval's growth.
 */
export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  private peakBytes = 0;
  private samples = 0;

  constructor(private readonly intervalMs = 5) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  /** The peak seen so far (after one more sample), while sampling goes on. */
  peakSoFar(): number {
    this.sample();
    return this.peakBytes;
  }

  /** Stops sampling (after one last sample) and resolves to the peak seen. */
  stop(): { peakBytes: number; samples: number } {
    this.sample();
    clearInterval(this.timer);
    return { peakBytes: this.peakBytes, samples: this.samples };
  }

  private sample(): void {
    this.samples += 1;
    this.peakBytes = Math.max(this.peakBytes, process.memoryUsage.rss());
  }
}

/** Runs a full garbage collection when the process was started with --expose-gc. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
}

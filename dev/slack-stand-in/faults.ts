export type Fault =
  | { kind: 'platform_error'; error: string }
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  | { kind: 'http_status'; status: number };

/** Matches every method, upload and response_url included. */
export const ANY_METHOD = '*';

/**
 * Injected failures, consumed one per call in the order queued. A method-specific fault wins over a `*` one.
 * Method names are Web API methods plus the pseudo-methods for the upload endpoint and response_url.
 */
export class FaultPlan {
  private readonly queued = new Map<string, Fault[]>();
  private readonly latencies = new Map<string, number>();

  failNext(method: string, error: string, count = 1): void {
    this.enqueue(method, { kind: 'platform_error', error }, count);
  }

  rateLimitNext(method: string, retryAfterSeconds: number, count = 1): void {
    if (!Number.isInteger(retryAfterSeconds) || retryAfterSeconds < 0) {
      throw new RangeError('retryAfterSeconds must be a whole number of seconds (Slack sends an integer)');
    }
    this.enqueue(method, { kind: 'rate_limited', retryAfterSeconds }, count);
  }

  serverErrorNext(method: string, status = 500, count = 1): void {
    if (!Number.isInteger(status) || status < 500 || status > 599) throw new RangeError('status must be 5xx');
    this.enqueue(method, { kind: 'http_status', status }, count);
  }

  /** Delay every answer of `method` (or `*`) by `ms`; 0 removes the delay. */
  setLatency(method: string, ms: number): void {
    if (ms < 0) throw new RangeError('latency must be >= 0');
    if (ms === 0) this.latencies.delete(method);
    else this.latencies.set(method, ms);
  }

  take(method: string): Fault | undefined {
    return this.shift(method) ?? this.shift(ANY_METHOD);
  }

  latencyFor(method: string): number {
    return this.latencies.get(method) ?? this.latencies.get(ANY_METHOD) ?? 0;
  }

  clear(): void {
    this.queued.clear();
    this.latencies.clear();
  }

  private enqueue(method: string, fault: Fault, count: number): void {
    if (!Number.isInteger(count) || count < 1) throw new RangeError('count must be a positive integer');
    const queue = this.queued.get(method) ?? [];
    for (let i = 0; i < count; i += 1) queue.push(fault);
    this.queued.set(method, queue);
  }

  private shift(method: string): Fault | undefined {
    const queue = this.queued.get(method);
    const fault = queue?.shift();
    if (queue && queue.length === 0) this.queued.delete(method);
    return fault;
  }
}

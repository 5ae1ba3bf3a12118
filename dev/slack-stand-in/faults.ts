export type Fault =
  | { kind: 'platform_error'; error: string }
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  | { kind: 'http_status'; status: number };

/** Matches every method, upload and response_url included. */
export const ANY_METHOD = '*';

/**
 * One call stopped after its request arrived whole and before the stand-in acted on it, so a test can
 * do something (stop the app, kill its process) while that call is in flight, then decide its fate.
 */
export interface HeldCall {
  /** Resolves once a matching request has arrived (its body read) and is being held: which call it is. */
  readonly arrived: Promise<HeldRequest>;
  /** Lets the call go on as usual: the method runs and the answer is sent, even if the caller has gone. */
  release(): void;
  /** Loses the call: the connection is cut, nothing is done or answered, as if it never reached Slack. */
  drop(): void;
}

/** The call being held: its method (or pseudo-method) and its decoded arguments, token left out. */
export interface HeldRequest {
  method: string;
  args: Record<string, unknown>;
}

export type HeldFate = 'release' | 'drop';

/** The stand-in's side of a HeldCall. */
export class Hold implements HeldCall {
  readonly arrived: Promise<HeldRequest>;
  private markArrived: (request: HeldRequest) => void = () => {};
  private decide: (fate: HeldFate) => void = () => {};
  private readonly decided: Promise<HeldFate>;

  constructor() {
    this.arrived = new Promise((resolve) => {
      this.markArrived = resolve;
    });
    this.decided = new Promise((resolve) => {
      this.decide = resolve;
    });
  }

  release(): void {
    this.decide('release');
  }

  drop(): void {
    this.decide('drop');
  }

  /** Called by the server with the request in hand; resolves with what the test decided. */
  wait(request: HeldRequest): Promise<HeldFate> {
    this.markArrived(request);
    return this.decided;
  }
}

/**
 * Injected failures, consumed one per call in the order queued. A method-specific fault wins over a `*` one.
 * Method names are Web API methods plus the pseudo-methods for the upload endpoint and response_url.
 */
export class FaultPlan {
  private readonly queued = new Map<string, Fault[]>();
  private readonly latencies = new Map<string, number>();
  private readonly holds = new Map<string, Hold[]>();
  /** Holds handed to a request and not yet decided, so stop() can let them go. */
  private readonly pending = new Set<Hold>();

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

  /** The next call of `method` (or `*`) is held until the returned handle releases or drops it. */
  holdNext(method: string): HeldCall {
    const hold = new Hold();
    const queue = this.holds.get(method) ?? [];
    queue.push(hold);
    this.holds.set(method, queue);
    return hold;
  }

  /** The hold waiting for this call, if any; a method-specific one wins over a `*` one. */
  takeHold(method: string): Hold | undefined {
    for (const key of [method, ANY_METHOD]) {
      const queue = this.holds.get(key);
      const hold = queue?.shift();
      if (queue && queue.length === 0) this.holds.delete(key);
      if (hold) {
        this.pending.add(hold);
        return hold;
      }
    }
    return undefined;
  }

  settled(hold: Hold): void {
    this.pending.delete(hold);
  }

  /** Drops every hold still waiting for its request or for a decision. */
  dropAllHolds(): void {
    for (const hold of [...this.pending, ...[...this.holds.values()].flat()]) hold.drop();
    this.pending.clear();
    this.holds.clear();
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
    this.dropAllHolds();
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

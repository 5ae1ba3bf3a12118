/**
 * The scheduling core that digests and hourly checks share. Each piece of recurring work is a member
 * of a due queue in the store (`store.due`), ordered by when it is next due. A tick takes only what is
 * due now, each item leased to this process so no other replica takes it until the lease ends, runs
 * the items with bounded concurrency and a timeout each, and writes each one's next due time back (or
 * removes it). A tick costs O(due + log N) in the store however many workspaces there are; it never
 * lists them.
 *
 * Work that outlives its timeout goes on: the tick stops waiting for it, the lease keeps other
 * replicas off, and the work writes its own next time when it ends. A process that dies holding items
 * lets them come due again when their lease ends. Exactly-once effects (posts) are the handler's
 * business: a lease can run out under slow work, so the handler must tolerate a second taker.
 */
import { Cron } from 'croner';
import { positiveOption, pullWithConcurrency, waitAtMost } from '../lifecycle/concurrency';
import { errorName, type Logger } from '../logger';
import { type DueItem, isStoreError, type Store } from '../store';

export interface DueResult<R> {
  /** What the tick reports for this item; nothing for an item that needed no work. */
  report?: R;
  /** When the member is next due, or 'remove' when what it names is gone. */
  next: Date | 'remove';
}

export interface DueHandler<R> {
  /** Does one taken item's work as of `now`. Should not throw; a throw is logged and the item is retried soon. */
  run(item: DueItem, now: Date): Promise<DueResult<R>>;
  /** What the tick reports for an item it stopped waiting for. */
  timedOut(item: DueItem): R;
}

export interface DueTickerOptions<R> {
  store: Store;
  /** The due queue, e.g. `digest`. */
  queue: string;
  handler: DueHandler<R>;
  logger: Logger;
  now?: () => Date;
  /** Items run at once. Default 8. */
  concurrency?: number;
  /** The tick stops waiting for an item after this long. Default 2 minutes. */
  itemTimeoutMs?: number;
  /**
   * How long a taken item is kept from other callers. It must cover an item's wait in this process'
   * batch plus its run, so the default is twice the item timeout and 30 s more.
   */
  leaseMs?: number;
  cronPattern: string;
  /**
   * Lower-priority queues give way: while this says true a tick does not start, and a running tick
   * takes nothing more (what it took but did not start is due again at once).
   */
  yieldTo?: () => boolean;
  /** Runs before each tick takes anything (the one-time backfill); must not throw. */
  beforeTick?: (now: Date) => Promise<void>;
  /** The log line of each tick: its message and what to say about the reports. */
  summary: { message: string; fields: (reports: R[]) => Record<string, unknown> };
}

export interface DueTickReport<R> {
  /** False when another tick was still running (or the ticker is stopped) and this one did nothing. */
  ran: boolean;
  reports: R[];
}

export const DEFAULT_DUE_CONCURRENCY = 8;
export const DEFAULT_ITEM_TIMEOUT_MS = 2 * 60_000;
/** An item whose work failed unexpectedly, or whose write-back found it still running here, comes back after this. */
export const RECHECK_MS = 60_000;
const LEASE_MARGIN_MS = 30_000;

export class DueTicker<R> {
  private readonly now: () => Date;
  private readonly concurrency: number;
  private readonly itemTimeoutMs: number;
  private readonly leaseMs: number;
  private readonly logger: Logger;
  private cron: Cron | undefined;
  private ticking: Promise<DueTickReport<R>> | undefined;
  private stopped = false;
  /** Every promise still running (ticks, items that outlived their timeout, work given to track()). */
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Members whose work is running in this process, including work a tick stopped waiting for. */
  private readonly running = new Set<string>();

  constructor(private readonly options: DueTickerOptions<R>) {
    this.now = options.now ?? (() => new Date());
    this.concurrency = Math.floor(positiveOption(options.concurrency, DEFAULT_DUE_CONCURRENCY, 'concurrency'));
    this.itemTimeoutMs = positiveOption(options.itemTimeoutMs, DEFAULT_ITEM_TIMEOUT_MS, 'item timeout');
    this.leaseMs = Math.ceil(positiveOption(options.leaseMs, 2 * this.itemTimeoutMs + LEASE_MARGIN_MS, 'leaseMs'));
    this.logger = options.logger;
  }

  /** Starts the cron job; croner's `protect` skips a firing while the previous tick still runs. */
  start(): void {
    if (this.cron) return;
    this.stopped = false;
    this.cron = new Cron(this.options.cronPattern, { protect: true }, async () => {
      try {
        await this.tick();
      } catch (error) {
        this.logger.error({ err: String(error) }, 'tick failed');
      }
    });
  }

  /** Stops the job and resolves once every tick and item in flight has finished and written back. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cron?.stop();
    this.cron = undefined;
    await this.idle();
  }

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Takes and runs what is due as of `now`. Resolves when this tick's items finished or timed out.
   * While a tick is running another one does nothing (ran: false); after stop() neither does any.
   */
  tick(now: Date = this.now()): Promise<DueTickReport<R>> {
    if (this.stopped || this.yielding()) return Promise.resolve({ ran: false, reports: [] });
    if (this.ticking) return this.ticking.then(() => ({ ran: false, reports: [] }));
    const ticking = this.track(this.runTick(now)).finally(() => {
      this.ticking = undefined;
    });
    this.ticking = ticking;
    return ticking;
  }

  /** True while a tick is running. */
  get busy(): boolean {
    return this.ticking !== undefined;
  }

  private yielding(): boolean {
    return this.options.yieldTo?.() ?? false;
  }

  /** Has stop() wait for `work` too (e.g. a digest asked for by hand). */
  track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const forget = () => this.inFlight.delete(work);
    work.then(forget, forget);
    return work;
  }

  private async runTick(start: Date): Promise<DueTickReport<R>> {
    const startedMs = this.now().getTime();
    // A tick asked for at a given instant keeps to it, moved on by however long the tick has run.
    const nowInTick = () => new Date(start.getTime() + Math.max(0, this.now().getTime() - startedMs));
    await this.options.beforeTick?.(start);
    const reports: R[] = [];
    let taken = 0;
    const buffer: DueItem[] = [];
    let drained = false;
    let refilling: Promise<void> | undefined;
    const refill = async () => {
      try {
        const items = await this.options.store.due.take(
          this.options.queue,
          nowInTick(),
          this.concurrency,
          this.leaseMs,
        );
        taken += items.length;
        buffer.push(...items);
        if (items.length < this.concurrency) drained = true;
      } catch (error) {
        drained = true;
        this.logger.error({ err: errorName(error) }, 'could not take due work; trying again at the next tick');
      }
    };
    const pull = async (): Promise<{ item: DueItem } | undefined> => {
      if (this.yielding()) return undefined;
      while (buffer.length === 0 && !drained && !this.stopped) {
        refilling ??= refill().finally(() => {
          refilling = undefined;
        });
        await refilling;
      }
      const item = this.stopped ? undefined : buffer.shift();
      return item ? { item } : undefined;
    };
    await pullWithConcurrency(pull, this.concurrency, async (item) => {
      const report = await this.runItem(item, nowInTick());
      if (report !== undefined) reports.push(report);
    });
    // Items taken but not started because the ticker stopped or gave way are due again at once.
    await Promise.all(buffer.map((item) => this.writeBack(item.member, item.dueAt)));

    const fields = { taken, ms: this.now().getTime() - startedMs, ...this.options.summary.fields(reports) };
    if (reports.length > 0) this.logger.info(fields, this.options.summary.message);
    else this.logger.debug(fields, this.options.summary.message);
    return { ran: true, reports };
  }

  private async runItem(item: DueItem, now: Date): Promise<R | undefined> {
    if (this.running.has(item.member)) {
      // Its lease ran out while this process still works on it: keep others off until it is done.
      await this.writeBack(item.member, new Date(now.getTime() + this.leaseMs));
      return undefined;
    }
    this.running.add(item.member);
    const work = this.track(
      this.runAndWriteBack(item, now).finally(() => {
        this.running.delete(item.member);
      }),
    );
    const waited = await waitAtMost(work, this.itemTimeoutMs);
    if (waited !== 'timed-out') return waited.value;
    this.logger.warn({ member: item.member }, 'due work is taking too long; moving on without it');
    return this.options.handler.timedOut(item);
  }

  private async runAndWriteBack(item: DueItem, now: Date): Promise<R | undefined> {
    let result: DueResult<R>;
    try {
      result = await this.options.handler.run(item, now);
    } catch (error) {
      this.logger.error({ member: item.member, err: errorName(error) }, 'due work failed; it comes back soon');
      result = { next: new Date(now.getTime() + RECHECK_MS) };
    }
    await this.writeBack(item.member, result.next);
    return result.report;
  }

  /** A write that fails leaves the lease in place, which brings the item back when it ends. */
  private async writeBack(member: string, next: Date | 'remove'): Promise<void> {
    try {
      if (next === 'remove') await this.options.store.due.remove(this.options.queue, member);
      else await this.options.store.due.set(this.options.queue, member, next);
    } catch (error) {
      // A workspace deleted meanwhile took its members with it; nothing is left to schedule.
      if (isStoreError(error) && error.kind === 'gone') return;
      this.logger.warn({ member, err: errorName(error) }, 'could not write back when due work is next due');
    }
  }
}

/**
 * The in-process digest scheduler. A croner job wakes it every minute; each tick lists every
 * workspace's schedules, works out which week's occurrence is due (scheduled time passed, not yet
 * run, within the grace window, or just past it to be recorded as skipped) and hands those to the
 * runner with bounded concurrency. Each run has its own timeout and never throws, so one workspace's
 * trouble never holds up another's. Exactly-once is the runner's job (claims and run records); the
 * scheduler only avoids asking twice from the same process.
 */

import { Cron } from 'croner';
import { eachWithConcurrency, positiveOption } from '../lifecycle/concurrency';
import type { Logger } from '../logger';
import { type WorkspaceRef, workspaceScopedKey } from '../store';
import { latestDueOccurrence } from './occurrences';
import type { DigestRunner, RunNowOutcome, RunOutcome, ScheduledRun } from './runner';

export interface DigestSchedulerOptions {
  runner: DigestRunner;
  logger: Logger;
  now?: () => Date;
  /** How long after its scheduled time a missed digest is still posted (marked late). Default 24 h. */
  graceMs?: number;
  /** Runs at once across all workspaces. Default 8. */
  concurrency?: number;
  /** A run taking longer is abandoned by the tick (the claim keeps others off it). Default 2 minutes. */
  runTimeoutMs?: number;
  /** Default every minute. */
  cronPattern?: string;
  /** Told of every scheduled run's outcome (for metrics); must not throw. */
  onOutcome?: (outcome: RunOutcome) => void;
}

export interface TickRun {
  ref: WorkspaceRef;
  channelId: string;
  occurrenceId: string;
  outcome: RunOutcome;
}

export interface TickReport {
  /** False when another tick was still running and this one did nothing. */
  ran: boolean;
  runs: TickRun[];
}

export const DEFAULT_GRACE_MS = 24 * 60 * 60_000;
export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_RUN_TIMEOUT_MS = 2 * 60_000;

/** Outcomes after which this process need not look at the occurrence again. */
const SETTLED: ReadonlySet<RunOutcome['status']> = new Set([
  'posted',
  'reconciled',
  'already-done',
  'failed',
  'skipped',
]);
const WEEK_MS = 7 * 24 * 60 * 60_000;

export class DigestScheduler {
  private readonly now: () => Date;
  private readonly graceMs: number;
  private readonly concurrency: number;
  private readonly runTimeoutMs: number;
  private readonly logger: Logger;
  private cron: Cron | undefined;
  private ticking: Promise<TickReport> | undefined;
  private stopped = false;
  /** Every promise still running (ticks, runs that outlived their timeout, runNow), for stop(). */
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Occurrences this process saw finish, with their due time so old ones can be forgotten. */
  private readonly settled = new Map<string, number>();
  /** Occurrences with a run in progress here, including ones abandoned by a timeout. */
  private readonly running = new Set<string>();

  constructor(private readonly options: DigestSchedulerOptions) {
    this.now = options.now ?? (() => new Date());
    this.graceMs = positiveOption(options.graceMs, DEFAULT_GRACE_MS, 'graceMs');
    this.concurrency = Math.floor(positiveOption(options.concurrency, DEFAULT_CONCURRENCY, 'concurrency'));
    this.runTimeoutMs = positiveOption(options.runTimeoutMs, DEFAULT_RUN_TIMEOUT_MS, 'runTimeoutMs');
    this.logger = options.logger.child({ component: 'digest-scheduler' });
  }

  /** Starts the minute job. A tick runs at the first minute boundary, catching up on missed digests. */
  start(): void {
    if (this.cron) return;
    this.stopped = false;
    // Returning the tick lets croner's `protect` skip a minute while the previous tick still runs.
    this.cron = new Cron(this.options.cronPattern ?? '* * * * *', { protect: true }, async () => {
      try {
        await this.tick();
      } catch (error) {
        this.logger.error({ err: String(error) }, 'digest tick failed');
      }
    });
    this.logger.info({ graceMs: this.graceMs, concurrency: this.concurrency }, 'digest scheduler started');
  }

  /** Stops the minute job and resolves once every tick and run in flight has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cron?.stop();
    this.cron = undefined;
    await this.idle();
  }

  /** Resolves once no tick, run or digest follow-up (such as a chart) is in flight; the job keeps running. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await this.options.runner.drain();
  }

  /**
   * Finds and runs the due digests as of `now`. Resolves when this tick's runs finished or timed out.
   * While a tick is running another one does nothing (ran: false); after stop() neither does any.
   */
  tick(now: Date = this.now()): Promise<TickReport> {
    if (this.stopped) return Promise.resolve({ ran: false, runs: [] });
    if (this.ticking) return this.ticking.then(() => ({ ran: false, runs: [] }));
    const ticking = this.track(this.runTick(now)).finally(() => {
      this.ticking = undefined;
    });
    this.ticking = ticking;
    return ticking;
  }

  /** `digest now`: posts at once through the same runner and pacing; tracked so stop() waits for it. */
  runNow(
    ref: WorkspaceRef,
    channelId: string,
    options: { orgLabel?: string; timeZone?: string } = {},
  ): Promise<RunNowOutcome> {
    return this.track(this.options.runner.runNow(ref, channelId, options));
  }

  /** The occurrences that need a run at `now`: due, not settled here, and scheduled after the schedule was set. */
  async dueRuns(now: Date): Promise<ScheduledRun[]> {
    const due: ScheduledRun[] = [];
    for await (const { ref, schedule } of this.options.runner.schedules.listAll()) {
      let occurrence: ReturnType<typeof latestDueOccurrence>;
      try {
        occurrence = latestDueOccurrence(schedule, now);
      } catch (error) {
        this.logger.error(
          { teamId: ref.teamId, channel: schedule.channelId, err: String(error) },
          'bad digest schedule',
        );
        continue;
      }
      // A schedule set up after this week's time first fires next week.
      if (occurrence.at.getTime() < Date.parse(schedule.createdAt)) continue;
      const key = occurrenceKey(ref, schedule.channelId, occurrence.id);
      if (this.settled.has(key) || this.running.has(key)) continue;
      due.push({ ref, schedule, occurrence, graceEndsAt: new Date(occurrence.at.getTime() + this.graceMs) });
    }
    return due;
  }

  private async runTick(now: Date): Promise<TickReport> {
    this.forgetOld(now);
    let due: ScheduledRun[];
    try {
      due = await this.dueRuns(now);
    } catch (error) {
      this.logger.error({ err: String(error) }, 'could not list digest schedules; trying again next minute');
      return { ran: true, runs: [] };
    }
    const runs: TickRun[] = [];
    await eachWithConcurrency(due, this.concurrency, async (run) => {
      const outcome = await this.runOne(run);
      runs.push({ ref: run.ref, channelId: run.schedule.channelId, occurrenceId: run.occurrence.id, outcome });
    });
    if (runs.length > 0) {
      const counts: Record<string, number> = {};
      for (const { outcome } of runs) counts[outcome.status] = (counts[outcome.status] ?? 0) + 1;
      this.logger.info({ due: due.length, ...counts }, 'digest tick finished');
    }
    return { ran: true, runs };
  }

  private async runOne(run: ScheduledRun): Promise<RunOutcome> {
    const key = occurrenceKey(run.ref, run.schedule.channelId, run.occurrence.id);
    this.running.add(key);
    const work = this.track(this.options.runner.runScheduled(run)).then((outcome) => {
      if (SETTLED.has(outcome.status)) this.settled.set(key, run.occurrence.at.getTime());
      this.options.onOutcome?.(outcome);
      return outcome;
    });
    void work.finally(() => this.running.delete(key)).catch(() => undefined);

    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<RunOutcome>((resolve) => {
      timer = setTimeout(() => {
        this.logger.warn(
          { teamId: run.ref.teamId, channel: run.schedule.channelId, occurrence: run.occurrence.id },
          'digest run is taking too long; moving on without it',
        );
        resolve({ status: 'error', code: 'run_timeout' });
      }, this.runTimeoutMs);
      timer.unref();
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Settled occurrences older than the grace window plus a week can never be due again. */
  private forgetOld(now: Date): void {
    const horizon = now.getTime() - this.graceMs - WEEK_MS;
    for (const [key, at] of this.settled) if (at < horizon) this.settled.delete(key);
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const forget = () => this.inFlight.delete(work);
    work.then(forget, forget);
    return work;
  }
}

function occurrenceKey(ref: WorkspaceRef, channelId: string, occurrenceId: string): string {
  return workspaceScopedKey(ref, channelId, occurrenceId);
}

/**
 * The croner pattern for a check every `seconds`. Only divisors of 60 are accepted so the checks are
 * evenly spaced (a `*\/7` seconds field would leave a 4 s gap at each minute).
 */
export function checkIntervalPattern(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 60 || 60 % seconds !== 0) {
    throw new RangeError('the digest check interval must be a whole number of seconds dividing 60');
  }
  return seconds === 60 ? '0 * * * * *' : `*/${seconds} * * * * *`;
}

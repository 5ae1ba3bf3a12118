/**
 * The in-process digest scheduler, on the scheduling core (src/schedule). Each channel's schedule has
 * a member in the due index's `digest` queue, due at its next occurrence. A croner job wakes the core
 * every minute (or DIGEST_CHECK_INTERVAL_SECONDS); a tick takes only the digests due now, works out
 * each one's week (latestDueOccurrence) and hands it to the runner, then writes back when the schedule
 * is due next: next week's occurrence once the week is settled, the retry time while it is retrying,
 * a minute on while another process holds its claim. A digest due while the app was down is taken at
 * the first tick because its due time is in the past; the runner posts it marked late within the grace
 * window and records it skipped after. Exactly-once is the runner's job (claims and run records).
 */

import { positiveOption } from '../lifecycle/concurrency';
import { errorName, type Logger } from '../logger';
import { defaultOwner } from '../posting/exactly-once';
import { DueBackfill } from '../schedule/backfill';
import { type DueResult, DueTicker } from '../schedule/due-ticker';
import { scheduleIfAbsent } from '../schedule/members';
import { type DueItem, isStoreError, type WorkspaceRef } from '../store';
import { dueAfterSettled, firstDueAt, sameTiming } from './due-times';
import { latestDueOccurrence, type Occurrence } from './occurrences';
import type { DigestRunner, RunNowOutcome, RunOutcome, ScheduledRun } from './runner';
import { DIGEST_QUEUE, type DigestSchedule, digestMember, parseDigestMember } from './schedules';

export interface DigestSchedulerOptions {
  /** Runs each due week; the scheduler keeps its due index in the runner's store. */
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
  /** Names this process in the backfill's claim. */
  owner?: string;
  /** Told of every scheduled run's outcome (for metrics); must not throw. */
  onOutcome?: (outcome: RunOutcome) => void;
}

export interface TickRun {
  ref: WorkspaceRef;
  channelId: string;
  /** Empty when the run timed out before its week was known. */
  occurrenceId: string;
  outcome: RunOutcome;
}

export interface TickReport {
  /** False when another tick was still running and this one did nothing. */
  ran: boolean;
  runs: TickRun[];
}

export const DEFAULT_GRACE_MS = 24 * 60 * 60_000;
/** While another process holds a digest's claim, or the store failed, the digest is looked at again after this. */
const RECHECK_MS = 60_000;
/** A retry time is never written back as due right now, so a tick cannot take the same digest twice. */
const MIN_DELAY_MS = 1_000;

export class DigestScheduler {
  private readonly graceMs: number;
  private readonly logger: Logger;
  private readonly ticker: DueTicker<TickRun>;
  private readonly backfill: DueBackfill;
  /** The week each run in progress here is for, so a timed-out run can still be reported by its week. */
  private readonly running = new Map<string, ScheduledRun>();

  constructor(private readonly options: DigestSchedulerOptions) {
    const { store } = options.runner;
    this.graceMs = positiveOption(options.graceMs, DEFAULT_GRACE_MS, 'graceMs');
    this.logger = options.logger.child({ component: 'digest-scheduler' });
    this.backfill = new DueBackfill({
      store,
      queue: DIGEST_QUEUE,
      owner: options.owner ?? defaultOwner(),
      logger: this.logger,
      fill: (ref, now) => this.fillWorkspace(ref, now),
    });
    this.ticker = new DueTicker<TickRun>({
      store,
      queue: DIGEST_QUEUE,
      logger: this.logger,
      ...(options.now ? { now: options.now } : {}),
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.runTimeoutMs !== undefined ? { itemTimeoutMs: options.runTimeoutMs } : {}),
      cronPattern: options.cronPattern ?? '* * * * *',
      beforeTick: async (now) => {
        await this.backfill.ensure(now);
      },
      handler: { run: (item, now) => this.runDue(item, now), timedOut: (item) => this.timedOut(item) },
      summary: { message: 'digest tick finished', fields: countOutcomes },
    });
    // Every text digest due goes out before any chart is drawn.
    options.runner.charts?.giveWayTo(() => this.ticker.busy);
  }

  /**
   * Starts the minute job. Its first tick fills in due times once per store, then catches up on missed
   * digests. The chart queue starts with it and gives way while a digest tick runs.
   */
  start(): void {
    this.ticker.start();
    this.options.runner.charts?.start();
    this.logger.info({ graceMs: this.graceMs }, 'digest scheduler started');
  }

  /** Stops the minute job and resolves once every tick and run in flight has finished. */
  async stop(): Promise<void> {
    await this.ticker.stop();
    await this.options.runner.charts?.stop();
    await this.options.runner.drain();
  }

  /** Resolves once no tick, run or chart is in flight; the jobs keep running. */
  async idle(): Promise<void> {
    await this.ticker.idle();
    await this.options.runner.charts?.idle();
    await this.options.runner.drain();
  }

  /**
   * Takes and runs the digests due as of `now`. Resolves when this tick's runs finished or timed out.
   * While a tick is running another one does nothing (ran: false); after stop() neither does any.
   */
  async tick(now?: Date): Promise<TickReport> {
    const { ran, reports } = await this.ticker.tick(now);
    return { ran, runs: reports };
  }

  /** `digest now`: posts at once through the same runner and pacing; tracked so stop() waits for it. */
  runNow(
    ref: WorkspaceRef,
    channelId: string,
    options: { orgLabel?: string; timeZone?: string } = {},
  ): Promise<RunNowOutcome> {
    return this.ticker.track(this.options.runner.runNow(ref, channelId, options));
  }

  /** One due digest: its week's run, then when it is due next. */
  private async runDue(item: DueItem, now: Date): Promise<DueResult<TickRun>> {
    const target = parseDigestMember(item.member);
    if (!target) {
      this.logger.error({ member: item.member }, 'dropping a due digest that names no schedule');
      return { next: 'remove' };
    }
    const { ref, channelId } = target;
    const schedule = await this.readSchedule(ref, channelId);
    if (schedule === 'retry') return { next: new Date(now.getTime() + RECHECK_MS) };
    if (schedule === undefined) return { next: 'remove' };

    const occurrence = this.occurrenceOf(ref, schedule, now);
    if (occurrence === undefined) return { next: 'remove' };
    // A schedule set up after this week's time first fires next week.
    if (occurrence.at.getTime() < Date.parse(schedule.createdAt)) return { next: dueAfterSettled(schedule, now) };
    const run: ScheduledRun = {
      ref,
      schedule,
      occurrence,
      graceEndsAt: new Date(occurrence.at.getTime() + this.graceMs),
    };
    this.running.set(item.member, run);
    try {
      const outcome = await this.options.runner.runScheduled(run);
      this.options.onOutcome?.(outcome);
      return {
        report: { ref, channelId, occurrenceId: occurrence.id, outcome },
        next: await this.nextDue(run, outcome, now),
      };
    } finally {
      this.running.delete(item.member);
    }
  }

  /** The week due at `now`; undefined (logged) for a schedule whose zone this runtime no longer knows. */
  private occurrenceOf(ref: WorkspaceRef, schedule: DigestSchedule, now: Date): Occurrence | undefined {
    try {
      return latestDueOccurrence(schedule, now);
    } catch (error) {
      this.logger.error(
        { teamId: ref.teamId, channel: schedule.channelId, err: String(error) },
        'bad digest schedule; it is not due until set again',
      );
      return undefined;
    }
  }

  /** The schedule behind a due member; undefined when it is gone or unreadable, 'retry' when the store failed. */
  private async readSchedule(ref: WorkspaceRef, channelId: string): Promise<DigestSchedule | undefined | 'retry'> {
    try {
      return await this.options.runner.schedules.get(ref, channelId);
    } catch (error) {
      if (isStoreError(error) && error.kind === 'corrupt') {
        // Logged by the store; setting the schedule again schedules it again.
        this.logger.error(
          { teamId: ref.teamId, channel: channelId },
          'bad digest schedule; it is not due until set again',
        );
        return undefined;
      }
      this.logger.warn(
        { teamId: ref.teamId, channel: channelId, err: errorName(error) },
        'could not read a due digest',
      );
      return 'retry';
    }
  }

  /**
   * When the digest is due after this run. A settled week moves it to the next occurrence of the
   * schedule as stored now, so a schedule changed while it ran keeps its new time.
   */
  private async nextDue(run: ScheduledRun, outcome: RunOutcome, now: Date): Promise<Date | 'remove'> {
    switch (outcome.status) {
      case 'waiting':
      case 'retry-scheduled':
        return new Date(Math.max(outcome.nextAttemptAt.getTime(), now.getTime() + MIN_DELAY_MS));
      case 'busy':
      case 'error':
        return new Date(now.getTime() + RECHECK_MS);
      case 'posted':
      case 'reconciled':
      case 'already-done':
      case 'failed':
      case 'skipped': {
        const current = await this.readSchedule(run.ref, run.schedule.channelId);
        if (current === undefined) return 'remove';
        if (current === 'retry' || sameTiming(current, run.schedule)) return dueAfterSettled(run.schedule, now);
        return firstDueAt(current, now);
      }
    }
  }

  private timedOut(item: DueItem): TickRun {
    const run = this.running.get(item.member);
    const target = parseDigestMember(item.member);
    return {
      ref: run?.ref ?? target?.ref ?? { teamId: 'unknown' },
      channelId: run?.schedule.channelId ?? target?.channelId ?? '',
      occurrenceId: run?.occurrence.id ?? '',
      outcome: { status: 'error', code: 'run_timeout' },
    };
  }

  /** The backfill of one workspace: a due time for each schedule that has none. */
  private async fillWorkspace(ref: WorkspaceRef, now: Date): Promise<number> {
    let filled = 0;
    for (const schedule of await this.options.runner.schedules.listFor(ref)) {
      const member = digestMember(ref, schedule.channelId);
      if (await scheduleIfAbsent(this.options.runner.store, DIGEST_QUEUE, member, firstDueAt(schedule, now)))
        filled += 1;
    }
    return filled;
  }
}

function countOutcomes(runs: TickRun[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { outcome } of runs) counts[outcome.status] = (counts[outcome.status] ?? 0) + 1;
  return counts;
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

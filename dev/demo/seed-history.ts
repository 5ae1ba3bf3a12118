/**
 * The demo's two months of usage history, recorded the way a running app records it: the clock (the
 * app's and the emulator's) steps from one of the org's hourly checks to the next, and each time the
 * alert scheduler ticks, so the app's own check reads Viam and takes the hour's snapshot. Nothing is
 * written to the store behind the app's back.
 *
 * Nothing is posted meanwhile, without muting anything: an org's alerts go to its budget's channel,
 * and Ada sets the budget only later in the tour, so until then a check takes its snapshot and stops.
 *
 * Fewer checks where the app keeps less: of days older than DETAILED_DAYS the app keeps only the last
 * snapshot (src/digest/snapshots.ts), so there the clock stops at every fourth check only, always
 * including the day's last (23:xx). The history left behind is the same as after a check every hour,
 * and recording it takes about a third less time (some 900 checks instead of 1,440).
 */
import type { AlertTickReport } from '../../src/alerts/scheduler';
import { DETAILED_DAYS } from '../../src/digest/snapshots';
import type { LocalStack } from '../local-stack';
import { SEED } from '../slack-stand-in';

export interface SettableClock {
  now(): Date;
  set(at: Date): void;
}

export interface HistoryReport {
  /** The first and the last check run. */
  from: Date;
  until: Date;
  /** From this UTC midnight on the app keeps every snapshot, and every hourly check was run. */
  detailedFrom: Date;
  /** Checks of the org run. */
  checks: number;
  /** Checks that recorded a new snapshot, and the distinct UTC hours the checks ran in. */
  snapshots: number;
  hours: number;
  /** Checks that ended in an error (Viam, the store...), with their codes. */
  failures: string[];
  /** Slack Web API calls that post (messages, files) made while the history was recorded. */
  posts: number;
}

/** Where only the day's last snapshot is kept, a check every this many hours, ending at 23:xx. */
export const SPARSE_EVERY_HOURS = 4;

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/** Web API methods that put something in front of people. */
const POSTING_METHODS = ['chat.postMessage', 'chat.postEphemeral', 'files.completeUploadExternal'];

/**
 * Runs the hourly checks of the first connected org from the clock's time until just before `until`,
 * then leaves the clock at `until`. The org must be due at the clock's time (it is when the stack was
 * started at that time: connecting an org makes it due at once). Stops early when `signal` aborts.
 */
export async function recordHistory(
  stack: LocalStack,
  clock: SettableClock,
  until: Date,
  signal?: AbortSignal,
): Promise<HistoryReport> {
  const scheduler = stack.app.services.alerts.scheduler;
  const org = stack.emulator.orgs[0];
  if (!org) throw new Error('the emulator has no org to record');
  const ref = { teamId: SEED.team.id };
  const detailedFrom = new Date(Math.floor(until.getTime() / DAY_MS) * DAY_MS - DETAILED_DAYS * DAY_MS);
  const nextCheck = (after: Date): Date => {
    let next = scheduler.nextCheckAt(ref, org.orgId, after);
    while (next < detailedFrom && next.getUTCHours() % SPARSE_EVERY_HOURS !== SPARSE_EVERY_HOURS - 1) {
      next = scheduler.nextCheckAt(ref, org.orgId, next);
    }
    return next;
  };

  const postsBefore = postingCalls(stack);
  const hours = new Set<number>();
  const report: HistoryReport = {
    from: clock.now(),
    until: clock.now(),
    detailedFrom,
    checks: 0,
    snapshots: 0,
    hours: 0,
    failures: [],
    posts: 0,
  };
  for (let at = clock.now(); at < until; at = nextCheck(at)) {
    if (signal?.aborted) break;
    clock.set(at);
    tally(report, await scheduler.tick(at), org.orgId);
    hours.add(Math.floor(at.getTime() / HOUR_MS));
    report.until = at;
  }
  clock.set(until);
  report.hours = hours.size;
  report.posts = postingCalls(stack) - postsBefore;
  return report;
}

function tally(report: HistoryReport, tick: AlertTickReport, orgId: string): void {
  for (const check of tick.checks) {
    if (check.orgId !== orgId) continue;
    report.checks += 1;
    if (check.snapshot === 'recorded') report.snapshots += 1;
    if (check.error !== undefined) report.failures.push(check.error);
  }
}

function postingCalls(stack: LocalStack): number {
  return POSTING_METHODS.reduce((sum, method) => sum + stack.slack.calls(method).length, 0);
}

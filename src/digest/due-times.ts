/**
 * When a weekly digest is next due, for the due index (src/schedule). Set when a schedule is saved
 * (firstDueAt), moved on by the scheduler after each settled week (dueAfterSettled).
 */
import { latestDueOccurrence, nextOccurrence } from './occurrences';
import type { DigestSchedule } from './schedules';

/**
 * When a schedule just saved (or found without a due time) is due: its latest occurrence when that
 * came after the schedule was set up and may still be owed (a past time, so the next tick takes it and
 * the runner posts it, marks it late, or skips it past the grace window); otherwise its next one.
 */
export function firstDueAt(schedule: DigestSchedule, now: Date): Date {
  const latest = latestDueOccurrence(schedule, now);
  return latest.at.getTime() >= Date.parse(schedule.createdAt) ? latest.at : nextOccurrence(schedule, now).at;
}

/** When a schedule whose week at `now` is settled is due next. */
export function dueAfterSettled(schedule: DigestSchedule, now: Date): Date {
  return nextOccurrence(schedule, now).at;
}

/** True when two versions of a schedule fire at the same times (so a run of one settles the other's week). */
export function sameTiming(a: DigestSchedule, b: DigestSchedule): boolean {
  return a.weekday === b.weekday && a.time === b.time && a.timeZone === b.timeZone && a.createdAt === b.createdAt;
}

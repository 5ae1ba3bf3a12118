/**
 * When a weekly schedule fires, as instants. Pure zone math: the wall-clock time is resolved in the
 * schedule's zone for each week, so 09:00 stays 09:00 local across DST changes.
 *
 * Two DST cases have a rule of their own:
 * - a time that does not exist that day (02:30 on a spring-forward night) fires at the first minute
 *   that exists after the gap (03:00), once;
 * - a time that exists twice (02:30 on a fall-back night) fires at its first occurrence, once.
 */
import { TZDate, tzOffset } from '@date-fns/tz';
import { parseClockTime, type WeeklyTime, weekdayIndex } from './weekly-time';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

export interface Occurrence {
  /** Stable per schedule-week, from the local date of the scheduled day: `2026-W48`. */
  id: string;
  /** The instant the digest is due. */
  at: Date;
  /** The local calendar day it falls on, `2026-11-23`. */
  localDate: string;
  /** True when the wall-clock time did not exist that day and `at` is the first minute after the gap. */
  shifted: boolean;
}

/** A calendar date with no zone: `Date.UTC` arithmetic on it never meets a DST change. */
interface CalendarDay {
  year: number;
  /** 0-based, as Date uses. */
  month: number;
  day: number;
}

function calendarDayOf(instant: Date, timeZone: string): CalendarDay & { isoWeekday: number } {
  const local = new TZDate(instant.getTime(), timeZone);
  const weekday = local.getDay();
  return {
    year: local.getFullYear(),
    month: local.getMonth(),
    day: local.getDate(),
    isoWeekday: weekday === 0 ? 7 : weekday,
  };
}

function addCalendarDays(date: CalendarDay, days: number): CalendarDay {
  const moved = new Date(Date.UTC(date.year, date.month, date.day + days));
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth(), day: moved.getUTCDate() };
}

/** Monday of the ISO week that holds `instant` in `timeZone`. */
function mondayOfWeek(instant: Date, timeZone: string): CalendarDay {
  const today = calendarDayOf(instant, timeZone);
  return addCalendarDays(today, 1 - today.isoWeekday);
}

function offsetMs(timeZone: string, epochMs: number): number {
  const minutes = tzOffset(timeZone, new Date(epochMs));
  if (!Number.isFinite(minutes)) throw new RangeError(`unknown time zone "${timeZone}"`);
  return minutes * MINUTE_MS;
}

/**
 * The instant a local wall-clock minute happens in `timeZone`. Every offset the zone uses around that
 * day is tried; the earliest instant whose local reading matches wins (first of an ambiguous pair).
 * When none matches the time fell into a gap, and the gap's end is found by bisection.
 */
export function resolveLocalTime(
  date: CalendarDay,
  hours: number,
  minutes: number,
  timeZone: string,
): { at: Date; shifted: boolean } {
  const wall = Date.UTC(date.year, date.month, date.day, hours, minutes);
  const offsets = [...new Set([wall - DAY_MS, wall, wall + DAY_MS].map((probe) => offsetMs(timeZone, probe)))];
  const matches = offsets
    .map((offset) => wall - offset)
    .filter((instant) => instant + offsetMs(timeZone, instant) === wall)
    .sort((a, b) => a - b);
  const [first] = matches;
  if (first !== undefined) return { at: new Date(first), shifted: false };

  // In a gap the instant read with the offset before the change lies after it, and with the offset
  // after the change lies before it: the change itself is in between, on a minute boundary.
  const candidates = offsets.map((offset) => wall - offset).sort((a, b) => a - b);
  let low = (candidates[0] as number) / MINUTE_MS;
  let high = (candidates[candidates.length - 1] as number) / MINUTE_MS;
  const before = offsetMs(timeZone, low * MINUTE_MS);
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetMs(timeZone, middle * MINUTE_MS) === before) low = middle;
    else high = middle;
  }
  return { at: new Date(high * MINUTE_MS), shifted: true };
}

function isoDate(date: CalendarDay): string {
  return new Date(Date.UTC(date.year, date.month, date.day)).toISOString().slice(0, 10);
}

/** ISO 8601 week of a calendar date: the week belongs to the year of its Thursday. */
function weekId(date: CalendarDay): string {
  const day = Date.UTC(date.year, date.month, date.day);
  const daysAfterMonday = (new Date(day).getUTCDay() + 6) % 7;
  const thursday = new Date(day + (3 - daysAfterMonday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

function occurrenceFromMonday(schedule: WeeklyTime, monday: CalendarDay): Occurrence {
  const day = addCalendarDays(monday, weekdayIndex(schedule.weekday));
  const { hours, minutes } = parseClockTime(schedule.time);
  const { at, shifted } = resolveLocalTime(day, hours, minutes, schedule.timeZone);
  return { id: weekId(day), at, localDate: isoDate(day), shifted };
}

/** The schedule's occurrence in the local week (Monday to Sunday, in its zone) that holds `instant`. */
export function occurrenceInWeekOf(schedule: WeeklyTime, instant: Date): Occurrence {
  return occurrenceFromMonday(schedule, mondayOfWeek(instant, schedule.timeZone));
}

/** The first occurrence strictly after `now`. */
export function nextOccurrence(schedule: WeeklyTime, now: Date): Occurrence {
  const monday = mondayOfWeek(now, schedule.timeZone);
  const thisWeek = occurrenceFromMonday(schedule, monday);
  return thisWeek.at > now ? thisWeek : occurrenceFromMonday(schedule, addCalendarDays(monday, 7));
}

/** The most recent occurrence at or before `now`: the one that is due, or was missed. */
export function latestDueOccurrence(schedule: WeeklyTime, now: Date): Occurrence {
  const monday = mondayOfWeek(now, schedule.timeZone);
  const thisWeek = occurrenceFromMonday(schedule, monday);
  return thisWeek.at <= now ? thisWeek : occurrenceFromMonday(schedule, addCalendarDays(monday, -7));
}

/** The id of the week `weeks` before the occurrence's own, by local calendar date. */
export function weekIdBefore(occurrence: Occurrence, weeks: number): string {
  const [year, month, day] = occurrence.localDate.split('-').map(Number) as [number, number, number];
  return weekId(addCalendarDays({ year, month: month - 1, day }, -7 * weeks));
}

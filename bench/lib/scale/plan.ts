/**
 * Who the scale bench's workspaces are, deterministically from their index: team, channel, org,
 * time zone and weekly digest time. Every seeded digest falls outside the run's window (its next
 * occurrence at least QUIET_MS away), so the only digests due during a run are the ones the bench
 * schedules on purpose.
 */
import { WEEKDAYS, type WeeklyTime } from '../../../src/digest/weekly-time';
import type { WorkspaceRef } from '../../../src/store';

/** Connected every org, so it may manage the workspace (access changes) without being a Slack admin. */
export const CONNECTOR = 'U0BENCHADM';
/** No seeded digest or hourly check falls due within this long after seeding. */
export const QUIET_MS = 6 * 60 * 60_000;
const MINUTE_MS = 60_000;
const WEEK_MINUTES = 7 * 24 * 60;

/** A mix of offsets, half-hour ones and both hemispheres' daylight saving included. */
export const ZONES = [
  'UTC',
  'America/New_York',
  'Europe/Berlin',
  'Asia/Tokyo',
  'America/Los_Angeles',
  'Asia/Kolkata',
  'Australia/Sydney',
] as const;

function pad(index: number): string {
  return String(index).padStart(8, '0');
}

export function scaleRef(index: number): WorkspaceRef {
  return { teamId: `TB${pad(index)}` };
}

/** The channel of the workspace's seeded weekly digest. */
export function seededChannel(index: number): string {
  return `CB${pad(index)}`;
}

/** The channel of the digest the bench schedules for the due minute. */
export function dueChannel(index: number): string {
  return `CD${pad(index)}`;
}

export function zoneOf(index: number): string {
  return ZONES[index % ZONES.length] as string;
}

/** Knuth's multiplicative hash: spreads consecutive indexes over the week. */
function spread(index: number): number {
  return Math.imul(index + 1, 2654435761) >>> 0;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The weekly slot (in `timeZone`) that the instant `at` falls in. */
export function slotAt(at: Date, timeZone: string): WeeklyTime {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((part) => [part.type, part.value]));
  const weekday = String(parts.weekday).slice(0, 3).toLowerCase() as WeeklyTime['weekday'];
  if (!WEEKDAYS.includes(weekday)) throw new Error(`unexpected weekday ${parts.weekday}`);
  return { weekday, time: `${parts.hour}:${parts.minute}`, timeZone };
}

/** A seeded workspace's weekly time: somewhere in the week, but never within QUIET_MS of `now`. */
export function quietSlot(index: number, now: Date): WeeklyTime {
  const quietMinutes = QUIET_MS / MINUTE_MS;
  // A day of margin at the far end too, for a daylight-saving change moving the local time by an hour.
  const minutesAhead = quietMinutes + (spread(index) % (WEEK_MINUTES - quietMinutes - 24 * 60));
  const minute = Math.ceil(now.getTime() / MINUTE_MS) * MINUTE_MS;
  return slotAt(new Date(minute + minutesAhead * MINUTE_MS), zoneOf(index));
}

/** The next whole minute at least `leadMs` from `now`: when the bench's digests fall due. */
export function dueMinute(now: Date, leadMs: number): Date {
  return new Date(Math.ceil((now.getTime() + leadMs) / MINUTE_MS) * MINUTE_MS);
}

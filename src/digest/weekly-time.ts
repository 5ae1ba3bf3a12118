/**
 * The vocabulary of a weekly schedule: a weekday, a wall-clock time and an IANA zone. Shared by the
 * parser, the stored schedules and the zone math so all three agree on names and formats.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const WEEKDAY_NAMES: Readonly<Record<Weekday, string>> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

/** When a weekly digest goes out, read in `timeZone`. */
export interface WeeklyTime {
  weekday: Weekday;
  /** 24-hour `HH:MM`, zero-padded. */
  time: string;
  /** Canonical IANA name, e.g. `Europe/Berlin`. */
  timeZone: string;
}

export const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Days after Monday: mon = 0 … sun = 6. */
export function weekdayIndex(weekday: Weekday): number {
  return WEEKDAYS.indexOf(weekday);
}

/** `09:30` -> { hours: 9, minutes: 30 }; throws on anything but zero-padded 24-hour time. */
export function parseClockTime(time: string): { hours: number; minutes: number } {
  const match = CLOCK_TIME.exec(time);
  if (!match) throw new RangeError(`"${time}" is not a 24-hour HH:MM time`);
  return { hours: Number(match[1]), minutes: Number(match[2]) };
}

export function formatClockTime(hours: number, minutes: number): string {
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

/**
 * The zone as it should be stored and shown, or undefined when the runtime does not know it. The
 * user's spelling is kept (ICU would turn `Asia/Kolkata` into the older `Asia/Calcutta`); only its
 * case is fixed when the runtime's name is the same word (`europe/berlin` -> `Europe/Berlin`).
 * Offsets such as `+01:00` are refused: they ignore DST, which is what a weekly schedule must follow.
 */
export function canonicalTimeZone(name: string): string | undefined {
  if (zoneCache.has(name)) return zoneCache.get(name);
  const canonical = resolveZone(name);
  // Intl formatters are costly to build; the zones in use are few, so remember each answer.
  if (zoneCache.size < 1_000) zoneCache.set(name, canonical);
  return canonical;
}

const zoneCache = new Map<string, string | undefined>();

function resolveZone(name: string): string | undefined {
  const trimmed = name.trim();
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(trimmed) || trimmed.length > 64) return undefined;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: trimmed }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
  if (resolved.toLowerCase() === trimmed.toLowerCase()) return resolved;
  // `UTC`, `GMT`, `Etc/UTC` and friends all resolve to UTC; a lower-case alias reads better resolved.
  return resolved === 'UTC' || trimmed === trimmed.toLowerCase() ? resolved : trimmed;
}

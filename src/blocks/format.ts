/**
 * How numbers, dates and outside text look in every message. Dates are always shown in an explicit
 * IANA zone so a message reads the same wherever the server runs.
 */
import { tz } from '@date-fns/tz';
import { differenceInCalendarDays, format } from 'date-fns';

const usd = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/** `$1,234.50`, `-$12.00`. Amounts that round to zero never show as `-$0.00`. */
export function formatMoney(amount: number): string {
  if (!Number.isFinite(amount)) return '—';
  return usd.format(Math.abs(amount) < 0.005 ? 0 : amount);
}

/** Viam reports discounts as positive amounts; a reader expects them as a deduction. */
export function formatDiscount(discount: number): string {
  return formatMoney(-Math.abs(discount));
}

/** `0.456` -> `46%`; a share too small to round to 1% still reads as present: `<1%`. */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '—';
  if (fraction > 0 && fraction < 0.005) return '<1%';
  return `${Math.round(fraction * 100)}%`;
}

const checkedZones = new Map<string, string>();

/** The zone itself when the runtime knows it, otherwise UTC, so a bad setting never breaks a message. */
export function safeTimeZone(timeZone: string): string {
  const known = checkedZones.get(timeZone);
  if (known !== undefined) return known;
  let zone = 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    zone = timeZone;
  } catch {
    // An unknown zone reads as UTC.
  }
  // Zone names come from a small set (IANA); the cap only guards against a flood of garbage.
  if (checkedZones.size < 1_000) checkedZones.set(timeZone, zone);
  return zone;
}

export function isValidDate(date: Date | undefined): date is Date {
  return date instanceof Date && !Number.isNaN(date.getTime());
}

/**
 * A timestamp exactly at UTC midnight is a date without a time of day: Viam sends invoice dates and
 * billing-period boundaries that way. Read in a zone west of UTC it would show the day before.
 */
function isUtcMidnight(date: Date): boolean {
  return date.getTime() % 86_400_000 === 0;
}

/** `Oct 31, 2026`: the calendar day in the given zone, or the day itself for a date-only (UTC midnight) value. */
export function formatDate(date: Date, timeZone: string): string {
  if (!isValidDate(date)) return 'unknown date';
  const zone = isUtcMidnight(date) ? 'UTC' : safeTimeZone(timeZone);
  return formatterIn(zone, 'day').format(date);
}

/**
 * What the cached formatters show: a day (`Nov 26, 2026`), a minute (`Nov 26, 2026, 14:05`, as parts), a month
 * (`Oct 2026`, `October 2026`) or a month's numbers (`10/2026`, read as parts).
 */
const SHAPES = {
  day: { month: 'short', day: 'numeric', year: 'numeric' },
  minute: { month: 'short', day: 'numeric', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  month: { month: 'short', year: 'numeric' },
  longMonth: { month: 'long', year: 'numeric' },
  monthNumbers: { month: '2-digit', year: 'numeric' },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

/**
 * One formatter per shape and zone, made once: every invoice line of every answer formats a date, and
 * building a zone-aware date for each cost more than the rest of the render. (`toLocaleDateString` with
 * options builds a new formatter on every call: it was the largest item of a chart's own work.)
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterIn(zone: string, shape: keyof typeof SHAPES): Intl.DateTimeFormat {
  const key = `${shape}|${zone}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone: zone, ...SHAPES[shape] });
    formatters.set(key, formatter);
  }
  return formatter;
}

/** `Oct 2026`, or `October 2026` in the long style: the month `date` falls in, in `timeZone` (UTC unless given). */
export function formatMonth(date: Date, style: 'short' | 'long' = 'short', timeZone = 'UTC'): string {
  return formatterIn(safeTimeZone(timeZone), style === 'long' ? 'longMonth' : 'month').format(date);
}

/** `2026-11`: the month `date` falls in, in `timeZone`, as file names and sortable keys write it. */
export function formatYearMonth(date: Date, timeZone: string): string {
  const part: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const { type, value } of formatterIn(safeTimeZone(timeZone), 'monthNumbers').formatToParts(date)) {
    part[type] = value;
  }
  return `${part.year}-${part.month}`;
}

/** `Nov 26, 2026 14:05 (America/New_York)`: a moment, with the zone named so a shared message is unambiguous. */
export function formatDateTime(date: Date, timeZone: string): string {
  if (!isValidDate(date)) return 'unknown time';
  const zone = safeTimeZone(timeZone);
  const part: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const { type, value } of formatterIn(zone, 'minute').formatToParts(date)) part[type] = value;
  return `${part.month} ${part.day}, ${part.year} ${part.hour}:${part.minute} (${zone})`;
}

/** A period whose start is a date-only value is a run of calendar days, read in UTC like `formatDate` does. */
function periodZone(start: Date, timeZone: string): string {
  return isUtcMidnight(start) ? 'UTC' : safeTimeZone(timeZone);
}

/** An end at midnight is exclusive (the period stops before that day), so the last day shown is the day before. */
function lastDayOfPeriod(end: Date, zone: string): Date {
  const isMidnight = format(end, 'HH:mm:ss.SSS', { in: tz(zone) }) === '00:00:00.000';
  return isMidnight ? new Date(end.getTime() - 1) : end;
}

/**
 * Zone-aware date maths costs a fraction of a millisecond per call, and every answer and digest asks
 * the same few questions about the same period; a small memo keeps it off the request path.
 */
const periodMemo = new Map<string, unknown>();
const PERIOD_MEMO_LIMIT = 512;

function memo<T>(key: string, compute: () => T): T {
  if (periodMemo.has(key)) return periodMemo.get(key) as T;
  const value = compute();
  if (periodMemo.size >= PERIOD_MEMO_LIMIT) periodMemo.clear();
  periodMemo.set(key, value);
  return value;
}

/** `Nov 1 – Nov 30, 2026`, or `Dec 1, 2026 – Jan 31, 2027` across a year; undefined when a boundary is missing. */
export function formatPeriod(start: Date, end: Date, timeZone: string): string | undefined {
  if (!isValidDate(start) || !isValidDate(end) || start.getTime() <= 0 || end <= start) return undefined;
  return memo(`period|${start.getTime()}|${end.getTime()}|${timeZone}`, () => periodText(start, end, timeZone));
}

function periodText(start: Date, end: Date, timeZone: string): string {
  const zone = periodZone(start, timeZone);
  const last = lastDayOfPeriod(end, zone);
  const options = { in: tz(zone) };
  const sameYear = format(start, 'yyyy', options) === format(last, 'yyyy', options);
  const from = format(start, sameYear ? 'MMM d' : 'MMM d, yyyy', options);
  return `${from} – ${format(last, 'MMM d, yyyy', options)}`;
}

/** Which day of the period `now` falls on (`{ day: 26, of: 30 }`), or undefined when `now` is outside it. */
export function periodProgress(
  start: Date,
  end: Date,
  now: Date,
  timeZone: string,
): { day: number; of: number } | undefined {
  if (formatPeriod(start, end, timeZone) === undefined || !isValidDate(now)) return undefined;
  if (now < start || now >= end) return undefined;
  // The answer changes at most at a midnight, so a minute's resolution is exact enough to reuse.
  const minute = Math.floor(now.getTime() / 60_000);
  return memo(`progress|${start.getTime()}|${end.getTime()}|${minute}|${timeZone}`, () =>
    dayOfPeriod(start, end, now, timeZone),
  );
}

function dayOfPeriod(start: Date, end: Date, now: Date, timeZone: string): { day: number; of: number } {
  const zone = periodZone(start, timeZone);
  const options = { in: tz(zone) };
  const of = differenceInCalendarDays(lastDayOfPeriod(end, zone), start, options) + 1;
  const day = differenceInCalendarDays(now, start, options) + 1;
  return { day, of };
}

/** Slack mrkdwn treats `&`, `<` and `>` as control characters; text from users or Viam must not. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Inline code must not contain a backtick, or the rest of the line changes meaning. */
export function inlineCode(text: string): string {
  return `\`${escapeMrkdwn(text.replace(/`/g, "'"))}\``;
}

/** `…1a2b`: never more than the last four characters of a key ID. */
export function maskKeyId(keyId: string): string {
  return `…${Array.from(keyId).slice(-4).join('')}`;
}

/** `payment_processing` -> `Payment Processing`, for values this build has no words for. */
export function titleCase(value: string): string {
  return value
    .split(/[\s_-]+/)
    .filter((word) => word.length > 0)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase())
    .join(' ');
}

/** `1 invoice`, `3 invoices`. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

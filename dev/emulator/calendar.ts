/** UTC calendar arithmetic. Viam bills per calendar month in UTC, so the emulator does too. */

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/** Midnight UTC on the 1st of the month `offset` months away from the one holding `date`. */
export function utcMonthStart(date: Date, offset = 0): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset, 1));
}

/** The last millisecond of the UTC month holding `date`. */
export function utcMonthEnd(date: Date): Date {
  return new Date(utcMonthStart(date, 1).getTime() - 1);
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

export function addHours(date: Date, hours: number): Date {
  return new Date(date.getTime() + hours * HOUR_MS);
}

export function utcMidnight(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

/** Events in the past never lie in the emulator's future, even early on the 1st of a month. */
export function notAfter(date: Date, now: Date): Date {
  return date.getTime() > now.getTime() ? now : date;
}

/** `2026-11-01`, the form printed on invoices. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

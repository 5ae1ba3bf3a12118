/**
 * How a cost line's spend builds up over a month in the usage timeline. Viam meters usage as it
 * happens, so month-to-date figures grow through the month; the emulator counts whole hours only,
 * so a figure holds still within an hour, as a metered bill does between two meter readings.
 */

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/**
 * `steady` lines cost the same every day (stored data, per-machine fees, module subscriptions);
 * `workweek` lines follow the robots' activity, busier on weekdays than at weekends.
 */
export type AccrualShape = 'steady' | 'workweek';

/** Weight of each UTC weekday, Sunday first; a week of them averages about 1. */
const WORKWEEK_WEIGHTS: readonly number[] = [0.6, 1.15, 1.15, 1.15, 1.15, 1.15, 0.6];

/** Standing charges accrue evenly; whatever is metered by activity follows the working week. */
export function shapeOfCostType(costType: string): AccrualShape {
  const standing = costType.endsWith('CLOUD_STORAGE') || costType === 'PER_MACHINE' || costType === 'PREMIUM_MODULE';
  return standing ? 'steady' : 'workweek';
}

/** How much of an average day's spend a line accrues on the UTC day starting at `dayStartMs`. */
export function dayWeight(shape: AccrualShape, dayStartMs: number): number {
  if (shape === 'steady') return 1;
  return WORKWEEK_WEIGHTS[new Date(dayStartMs).getUTCDay()] ?? 1;
}

/** The start of the UTC hour holding `at`: what the meters have reported by then. */
export function meteredUntil(at: Date): number {
  return Math.floor(at.getTime() / HOUR_MS) * HOUR_MS;
}

/**
 * Average days' worth of spend accrued from `from` (a UTC midnight) to the last whole hour before
 * `until`: each hour counts 1/24 of its day's weight. 0 when `until` is not past `from`.
 */
export function accruedDays(shape: AccrualShape, from: Date, until: Date): number {
  const end = meteredUntil(until);
  let days = 0;
  for (let dayStart = from.getTime(); dayStart < end; dayStart += DAY_MS) {
    const hours = Math.min(24, (end - dayStart) / HOUR_MS);
    days += (dayWeight(shape, dayStart) * hours) / 24;
  }
  return days;
}

/** Whole hours of the UTC day starting at `dayStartMs` metered by `at`, 0 to 24. */
export function hoursMeteredOn(dayStartMs: number, at: Date): number {
  return Math.min(24, Math.max(0, (meteredUntil(at) - dayStartMs) / HOUR_MS));
}

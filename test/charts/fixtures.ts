/** Usage reports and snapshots for the chart tests, built from plain numbers. */
import type { UsageCategory, UsageReport } from '../../src/billing/model';
import { snapshotOf, type UsageSnapshot } from '../../src/digest/snapshots';

export const NOVEMBER = { start: '2026-11-01T00:00:00.000Z', end: '2026-11-30T23:59:59.999Z' };
export const OCTOBER = { start: '2026-10-01T00:00:00.000Z', end: '2026-10-31T23:59:59.999Z' };
export const SEPTEMBER = { start: '2026-09-01T00:00:00.000Z', end: '2026-09-30T23:59:59.999Z' };
export const FEBRUARY = { start: '2027-02-01T00:00:00.000Z', end: '2027-02-28T23:59:59.999Z' };

export interface Period {
  start: string;
  end: string;
}

export function usageReport(
  period: Period,
  categories: Partial<Record<UsageCategory, number>>,
  subtotal?: number,
): UsageReport {
  const lines = Object.entries(categories).map(([category, amount], index) => ({
    costType: index + 1,
    key: `${category}_line`,
    label: `${category} line`,
    category: category as UsageCategory,
    amount,
  }));
  const total = subtotal ?? lines.reduce((sum, line) => sum + line.amount, 0);
  return {
    orgId: 'org-1',
    periodStart: new Date(period.start),
    periodEnd: new Date(period.end),
    subtotal: total,
    fromDeprecatedFields: false,
    sources: [{ kind: 'org', tierName: '', discount: 0, totalWithDiscount: total, totalWithoutDiscount: total, lines }],
  };
}

/** A daily-style snapshot of `period` with month-to-date `subtotal`, taken at `takenAt`. */
export function snapshot(period: Period, takenAt: string, subtotal: number): UsageSnapshot {
  return snapshotOf(usageReport(period, { compute: subtotal }), new Date(takenAt), 'daily');
}

/** One snapshot a day at 14:00 UTC for each listed day of `period`, with the given subtotals. */
export function dailySnapshots(period: Period, amounts: Record<number, number>): UsageSnapshot[] {
  const month = period.start.slice(0, 8);
  return Object.entries(amounts).map(([day, amount]) =>
    snapshot(period, `${month}${String(day).padStart(2, '0')}T14:00:00.000Z`, amount),
  );
}

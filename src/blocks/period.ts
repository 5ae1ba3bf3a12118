/** The billing period as a reader sees it next to a month-to-date amount. */
import type { UsageReport } from '../billing/model';
import { formatPeriod, periodProgress } from './format';

/** `Nov 1 – Nov 30, 2026 · day 26 of 30`; without the day when `now` is outside the period; undefined without dates. */
export function describePeriod(report: UsageReport, timeZone: string, now: Date): string | undefined {
  const period = formatPeriod(report.periodStart, report.periodEnd, timeZone);
  if (period === undefined) return undefined;
  const progress = periodProgress(report.periodStart, report.periodEnd, now, timeZone);
  return progress ? `${period} · day ${progress.day} of ${progress.of}` : period;
}

import { roundCents } from './convert';
import { USAGE_CATEGORIES, type UsageCategory, type UsageReport } from './model';

/**
 * The month's cost per category, summed over every line of every source (before discounts, which
 * Viam gives per source, not per line). Every category is present, zero when nothing was billed.
 */
export function categoryTotals(report: UsageReport): Record<UsageCategory, number> {
  const totals = Object.fromEntries(USAGE_CATEGORIES.map((category) => [category, 0])) as Record<UsageCategory, number>;
  for (const source of report.sources) {
    for (const line of source.lines) {
      const category = USAGE_CATEGORIES.includes(line.category) ? line.category : 'other';
      totals[category] += Number.isFinite(line.amount) ? line.amount : 0;
    }
  }
  for (const category of USAGE_CATEGORIES) totals[category] = roundCents(totals[category]);
  return totals;
}

/** The sum of every source's discount. */
export function totalDiscount(report: UsageReport): number {
  return roundCents(report.sources.reduce((sum, source) => sum + source.discount, 0));
}

/** The chart's words: its title, the span of days it covers, and a summary of its numbers for screen readers. */
import { tz } from '@date-fns/tz';
import { addDays, format } from 'date-fns';
import { formatMoney, formatPercent } from '../blocks/format';
import { invoicedMonthName } from '../trends/invoiced-months';
import { previousByDay, type SpendSeries } from './series';

/** Longer labels are cut with an ellipsis so the title stays on one line. */
const MAX_LABEL_CHARS = 30;

/** The calendar date of a day of the period, in the zone the period's days are counted in. */
export function dateOfDay(series: SpendSeries, day: number): Date {
  return addDays(series.periodStart, day - 1, { in: tz(series.zone) });
}

/** `1–26 Nov 2026`, `28 Nov – 3 Dec 2026`, `15 Dec 2026 – 10 Jan 2027`, or `1 Nov 2026` on the first day. */
export function spanWords(series: SpendSeries): string {
  const options = { in: tz(series.zone) };
  const from = series.periodStart;
  const through = dateOfDay(series, series.today);
  if (series.today === 1) return format(from, 'd MMM yyyy', options);
  if (format(from, 'yyyy', options) !== format(through, 'yyyy', options)) {
    return `${format(from, 'd MMM yyyy', options)} – ${format(through, 'd MMM yyyy', options)}`;
  }
  if (format(from, 'MM', options) !== format(through, 'MM', options)) {
    return `${format(from, 'd MMM', options)} – ${format(through, 'd MMM yyyy', options)}`;
  }
  return `${format(from, 'd', options)}–${format(through, 'd MMM yyyy', options)}`;
}

/** An org label short enough for a title line. */
export function shortLabel(orgLabel: string): string {
  const chars = Array.from(orgLabel.trim());
  return chars.length <= MAX_LABEL_CHARS ? chars.join('') : `${chars.slice(0, MAX_LABEL_CHARS - 1).join('')}…`;
}

/** `acme — spend, 1–26 Nov 2026`. */
export function chartTitle(series: SpendSeries, orgLabel: string): string {
  return `${shortLabel(orgLabel)} — spend, ${spanWords(series)}`;
}

/** The comparison with the previous period at the same day, when there is one to make. */
export function previousComparison(series: SpendSeries): string | undefined {
  const previous = previousByDay(series, series.today);
  if (previous === undefined) return undefined;
  const base = `The previous period had reached ${formatMoney(previous)} by day ${series.today}`;
  if (previous <= 0) return `${base}.`;
  const change = series.subtotal / previous - 1;
  if (Math.abs(change) < 0.005) return `${base}, the same as now.`;
  return `${base}; this period is ${formatPercent(Math.abs(change))} ${change > 0 ? 'higher' : 'lower'}.`;
}

/** In the monthly view: the invoiced months, named as invoices (tax and credits included), not as usage. */
export function invoicedMonthsWords(series: SpendSeries): string | undefined {
  if (series.view !== 'monthly' || series.invoicedMonths.length === 0) return undefined;
  const months = series.invoicedMonths.map((month) => `${invoicedMonthName(month.month)} ${formatMoney(month.amount)}`);
  return `Invoiced months, with tax and credits: ${months.join(', ')}.`;
}

/** In the monthly view, for the message that carries the chart: the latest invoiced month only. */
export function lastInvoicedWords(series: SpendSeries): string | undefined {
  const last = series.view === 'monthly' ? series.invoicedMonths.at(-1) : undefined;
  if (!last) return undefined;
  return `Viam invoiced ${formatMoney(last.amount)} for ${invoicedMonthName(last.month, 'long')} (with tax and credits).`;
}

export function budgetWords(series: SpendSeries): string | undefined {
  if (series.budget === undefined) return undefined;
  return `Budget ${formatMoney(series.budget)}, ${formatPercent(series.subtotal / series.budget)} used.`;
}

/**
 * Everything the picture shows, in sentences: for the image's alt text, so a screen reader user gets
 * the same numbers. Plain text (no mrkdwn); well under Slack's 1,000-character alt text limit.
 */
export function describeSpendChart(series: SpendSeries, orgLabel: string): string {
  const categories =
    series.categories.length === 0
      ? 'No spend by category yet.'
      : `By category: ${series.categories.map((bar) => `${bar.label} ${formatMoney(bar.amount)}`).join(', ')}.`;
  return [
    `Chart of Viam spend for ${shortLabel(orgLabel)}, ${spanWords(series)}, day ${series.today} of ${series.days}.`,
    `Month to date: ${formatMoney(series.subtotal)}.`,
    categories,
    previousComparison(series) ?? invoicedMonthsWords(series) ?? 'No earlier period to compare with yet.',
    budgetWords(series) ?? 'No budget set.',
  ].join(' ');
}

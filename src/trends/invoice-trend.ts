/** The last few invoices as a small trend, oldest first. Pure. */
import { roundCents } from '../billing/convert';
import type { InvoicesSummary } from '../billing/model';
import { type Change, changeBetween } from '../digest/compose';

export interface InvoicePoint {
  id: string;
  date?: Date;
  amount: number;
}

export interface InvoiceTrend {
  /** Oldest first. */
  points: InvoicePoint[];
  /** Newest against the one before it. */
  lastChange?: Change;
  average: number;
}

export const TREND_INVOICES = 6;

export function invoiceTrend(summary: InvoicesSummary, count = TREND_INVOICES): InvoiceTrend {
  const points = summary.invoices
    .filter((invoice) => Number.isFinite(invoice.amount))
    .slice()
    .sort((a, b) => (a.date?.getTime() ?? 0) - (b.date?.getTime() ?? 0))
    .slice(-count)
    .map((invoice) => ({ id: invoice.id, amount: invoice.amount, ...(invoice.date ? { date: invoice.date } : {}) }));
  const last = points.at(-1);
  const beforeLast = points.at(-2);
  const average =
    points.length === 0 ? 0 : roundCents(points.reduce((sum, point) => sum + point.amount, 0) / points.length);
  return {
    points,
    average,
    ...(last && beforeLast ? { lastChange: changeBetween(beforeLast.amount, last.amount) } : {}),
  };
}

const BARS = '▁▂▃▄▅▆▇█';

/** `▂▃▅▄▆█`: one character per amount, scaled from zero to the largest. */
export function sparkline(amounts: readonly number[]): string {
  const top = Math.max(0, ...amounts.filter(Number.isFinite));
  return amounts
    .map((amount) => {
      if (!(top > 0) || !Number.isFinite(amount) || amount <= 0) return BARS[0];
      return BARS[Math.min(BARS.length - 1, Math.round((amount / top) * (BARS.length - 1)))];
    })
    .join('');
}

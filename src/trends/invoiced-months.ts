/**
 * The months Viam has already billed, one total each, from GetInvoicesSummary: the history a new
 * install has from its first command, long before its own hourly snapshots add up. Pure.
 *
 * An invoice total includes tax and credits while month-to-date usage does not, so these figures are
 * always shown as invoiced months beside the usage, never subtracted from it.
 */
import { roundCents } from '../billing/convert';
import type { InvoicesSummary } from '../billing/model';
import { formatMonth } from '../blocks/format';

export interface InvoicedMonth {
  /** UTC midnight of the first day of the month the invoice bills. */
  month: Date;
  /** What was invoiced for that month, in US dollars (several invoices of one month are added up). */
  amount: number;
}

/** Months shown: half a year is enough to see a trend and fits a chart or a digest line. */
export const INVOICED_MONTHS_SHOWN = 6;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The month an invoice bills: Viam invoices on the first of a month for the month before, so the day
 * before the invoice date falls in it. Undefined without a valid date.
 */
export function billedMonthOf(invoiceDate: Date | undefined): Date | undefined {
  if (!invoiceDate || Number.isNaN(invoiceDate.getTime())) return undefined;
  const dayBefore = new Date(invoiceDate.getTime() - DAY_MS);
  return new Date(Date.UTC(dayBefore.getUTCFullYear(), dayBefore.getUTCMonth(), 1));
}

/** The last `count` invoiced months that end before `periodStart` (the month being used now), oldest first. */
export function invoicedMonths(
  summary: InvoicesSummary,
  periodStart: Date,
  count: number = INVOICED_MONTHS_SHOWN,
): InvoicedMonth[] {
  const totals = new Map<number, number>();
  for (const invoice of summary.invoices) {
    const month = billedMonthOf(invoice.date);
    if (!month || !Number.isFinite(invoice.amount) || month.getTime() >= periodStart.getTime()) continue;
    totals.set(month.getTime(), (totals.get(month.getTime()) ?? 0) + invoice.amount);
  }
  return [...totals.entries()]
    .sort(([a], [b]) => a - b)
    .slice(-count)
    .map(([month, amount]) => ({ month: new Date(month), amount: roundCents(amount) }));
}

/** `Oct 2026`, in UTC like the month itself. */
export function invoicedMonthName(month: Date, style: 'short' | 'long' = 'short'): string {
  return formatMonth(month, style, 'UTC');
}

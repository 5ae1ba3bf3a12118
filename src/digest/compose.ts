/**
 * What a digest says, computed from Viam's numbers and the last comparable snapshot. Pure: no
 * fetching, no formatting. Week-over-week changes are only computed within one billing period, so
 * the first digest of a month (and the first ever) never shows a bogus drop.
 */
import { roundCents } from '../billing/convert';
import { hasFailedPayment, isOverdue } from '../billing/invoice-status';
import { CATEGORY_LABELS, type InvoicesSummary, type UsageCategory, type UsageReport } from '../billing/model';
import { type Projection, projectionOf } from '../billing/projection';
import { categoryTotals, totalDiscount } from '../billing/usage-totals';
import { type InvoicedMonth, invoicedMonths } from '../trends/invoiced-months';
import type { MonthOverMonth } from '../trends/month-over-month';
import type { UsageSnapshot } from './snapshots';

export interface Change {
  /** US dollars, positive when spend grew. */
  amount: number;
  /** `amount` relative to the earlier value (0.15 = 15 %); absent when the earlier value was zero. */
  fraction?: number;
}

export type Comparison =
  /** A snapshot from about a week ago in the same billing period. */
  | { kind: 'change'; since: Date; previousSubtotal: number; change: Change }
  /** The comparable snapshot belongs to an earlier billing period: this is the period's first digest. */
  | { kind: 'new-period' }
  /** Nothing to compare with yet. */
  | { kind: 'none' };

export interface RankedAmount {
  /** Category name or cost-line key. */
  key: string;
  label: string;
  amount: number;
  /** Week-over-week change; present only when a comparison exists. */
  change?: Change;
}

export interface AttentionInvoice {
  id: string;
  amount: number;
  date?: Date;
  dueDate?: Date;
  overdue: boolean;
  /** Viam's failure code (e.g. `card_declined`) when the last payment attempt failed. */
  paymentFailure?: string;
}

export interface DigestData {
  orgId: string;
  periodStart: Date;
  periodEnd: Date;
  now: Date;
  monthToDate: number;
  /** Discounts across sources (positive); categories and lines are before discounts. */
  discount: number;
  comparison: Comparison;
  /** Absent when too little of the period has passed to extrapolate honestly. */
  projection?: Projection;
  /** From hourly snapshots: this period against the same point of the last, once a month of them exists. */
  monthOverMonth?: MonthOverMonth;
  /** From invoices: the months already billed, oldest first; there from the first digest on. */
  invoicedMonths: InvoicedMonth[];
  topCategories: RankedAmount[];
  topLines: RankedAmount[];
  outstandingBalance: number;
  /** Overdue or failed-payment invoices, newest first. */
  attention: AttentionInvoice[];
}

export interface ComposeInput {
  usage: UsageReport;
  invoices: InvoicesSummary;
  /** The snapshot that stands for last week (see comparisonSnapshot), if any. */
  previous?: UsageSnapshot;
  now: Date;
  /** Monthly budget in US dollars, once budgets exist. */
  budget?: number;
  /** This period against the same point of the previous one, once snapshots of it exist. */
  monthOverMonth?: MonthOverMonth;
}

export const TOP_LINES = 5;
/** A digest line holds three invoiced months; `compare` and the chart show more. */
export const DIGEST_INVOICED_MONTHS = 3;

export function composeDigest(input: ComposeInput): DigestData {
  const { usage, invoices, now } = input;
  const comparable = comparableSnapshot(usage, input.previous);
  const categories = categoryTotals(usage);

  const topCategories = (Object.keys(categories) as UsageCategory[])
    .map((category) => ({ category, amount: categories[category] }))
    .filter(({ amount }) => !isZero(amount))
    .sort((a, b) => b.amount - a.amount)
    .map(({ category, amount }) =>
      ranked(category, CATEGORY_LABELS[category], amount, comparable && (comparable.categories[category] ?? 0)),
    );

  const topLines = linesByKey(usage)
    .filter(({ amount }) => !isZero(amount))
    .sort((a, b) => b.amount - a.amount || a.key.localeCompare(b.key))
    .slice(0, TOP_LINES)
    .map(({ key, label, amount }) => ranked(key, label, amount, comparable && (comparable.lines[key]?.amount ?? 0)));

  return {
    orgId: usage.orgId,
    periodStart: usage.periodStart,
    periodEnd: usage.periodEnd,
    now,
    monthToDate: usage.subtotal,
    discount: totalDiscount(usage),
    comparison: comparisonOf(usage, input.previous, comparable),
    projection: projectionOf(usage, now, input.budget),
    ...(input.monthOverMonth ? { monthOverMonth: input.monthOverMonth } : {}),
    invoicedMonths: invoicedMonths(invoices, usage.periodStart, DIGEST_INVOICED_MONTHS),
    topCategories,
    topLines,
    outstandingBalance: invoices.outstandingBalance,
    attention: invoices.invoices
      .filter((invoice) => isOverdue(invoice, now) || hasFailedPayment(invoice))
      .map((invoice) => {
        const item: AttentionInvoice = { id: invoice.id, amount: invoice.amount, overdue: isOverdue(invoice, now) };
        if (invoice.date) item.date = invoice.date;
        if (invoice.dueDate) item.dueDate = invoice.dueDate;
        if (hasFailedPayment(invoice) && invoice.paymentFailure) item.paymentFailure = invoice.paymentFailure.reason;
        return item;
      }),
  };
}

/** The snapshot only counts when it measured the same billing period. */
function comparableSnapshot(usage: UsageReport, previous: UsageSnapshot | undefined): UsageSnapshot | undefined {
  if (!previous) return undefined;
  return Date.parse(previous.periodStart) === usage.periodStart.getTime() ? previous : undefined;
}

function comparisonOf(
  usage: UsageReport,
  previous: UsageSnapshot | undefined,
  comparable: UsageSnapshot | undefined,
): Comparison {
  if (comparable) {
    return {
      kind: 'change',
      since: new Date(comparable.takenAt),
      previousSubtotal: comparable.subtotal,
      change: changeBetween(comparable.subtotal, usage.subtotal),
    };
  }
  return previous ? { kind: 'new-period' } : { kind: 'none' };
}

export function changeBetween(before: number, after: number): Change {
  const amount = roundCents(after - before);
  return isZero(before) ? { amount } : { amount, fraction: amount / before };
}

function ranked(key: string, label: string, amount: number, before: number | undefined): RankedAmount {
  const item: RankedAmount = { key, label, amount };
  if (before !== undefined) item.change = changeBetween(before, amount);
  return item;
}

/** Lines with the same key in several sources (the org's own and a fragment's) count as one. */
function linesByKey(usage: UsageReport): RankedAmount[] {
  const byKey = new Map<string, RankedAmount>();
  for (const line of usage.sources.flatMap((source) => source.lines)) {
    const amount = Number.isFinite(line.amount) ? line.amount : 0;
    const existing = byKey.get(line.key);
    if (existing) existing.amount = roundCents(existing.amount + amount);
    else byKey.set(line.key, { key: line.key, label: line.label, amount: roundCents(amount) });
  }
  return [...byKey.values()];
}

function isZero(amount: number): boolean {
  return !Number.isFinite(amount) || Math.abs(amount) < 0.005;
}

/**
 * The numbers a spend chart plots, from the live usage report, the org's snapshot history, its budget
 * and the time. Pure: no store, no Viam, no drawing.
 */
import { tz } from '@date-fns/tz';
import { differenceInCalendarDays } from 'date-fns';
import { roundCents } from '../billing/convert';
import { CATEGORY_LABELS, USAGE_CATEGORIES, type UsageCategory, type UsageReport } from '../billing/model';
import { exclusiveEnd } from '../billing/projection';
import { categoryTotals } from '../billing/usage-totals';
import { safeTimeZone } from '../blocks/format';
import type { UsageSnapshot } from '../digest/snapshots';
import type { InvoicedMonth } from '../trends/invoiced-months';

export interface CategoryBar {
  category: UsageCategory;
  label: string;
  amount: number;
}

/** Cumulative spend of a period as of a day of that period (1 is its first day). */
export interface DayPoint {
  day: number;
  amount: number;
}

export interface PreviousPeriodSeries {
  periodStart: Date;
  days: number;
  /** Days with a snapshot only, in order; days without one are left out, never zero. */
  points: DayPoint[];
}

export interface SpendSeries {
  periodStart: Date;
  /** Length of the current period in days. */
  days: number;
  /** Day of the period `now` falls on (clamped into the period). */
  today: number;
  /** The zone days are counted in: UTC for Viam's date-only periods, else the reader's zone. */
  zone: string;
  subtotal: number;
  /** Month-to-date cost per category, in the usual category order, without empty categories. */
  categories: CategoryBar[];
  /** This period: the last snapshot of each earlier day, then the live figure on `today`. */
  current: DayPoint[];
  previous?: PreviousPeriodSeries;
  budget?: number;
  /** From invoices: the months already billed, oldest first. */
  invoicedMonths: InvoicedMonth[];
  /**
   * What the right-hand panel shows: `daily`, cumulative lines from the app's hourly snapshots, or
   * `monthly`, bars of the invoiced months, while too few snapshots exist to draw a useful line.
   */
  view: ChartView;
}

export type ChartView = 'daily' | 'monthly';

/** Days of this period with a snapshot before the daily lines replace the invoiced months. */
export const DAILY_VIEW_MIN_DAYS = 7;

export interface SpendSeriesInput {
  usage: UsageReport;
  /** Oldest first, as UsageSnapshots.history returns it; any order works. */
  history: readonly UsageSnapshot[];
  budget?: number;
  /** From invoices (src/trends/invoiced-months.ts); none leaves the daily view. */
  invoicedMonths?: readonly InvoicedMonth[];
  now: Date;
  timeZone: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function spendSeries(input: SpendSeriesInput): SpendSeries {
  const { usage, now } = input;
  const period = periodDays(usage.periodStart, usage.periodEnd, input.timeZone);
  const today = clampDay(period.dayOf(now), period.days);
  const subtotal = roundCents(finiteOr0(usage.subtotal));
  const taken = input.history.filter((snapshot) => Date.parse(snapshot.takenAt) <= now.getTime());

  const thisPeriod = taken.filter((snapshot) => Date.parse(snapshot.periodStart) === usage.periodStart.getTime());
  const earlierDays = lastPerDay(thisPeriod, period).filter((point) => point.day < today);
  const series: SpendSeries = {
    periodStart: usage.periodStart,
    days: period.days,
    today,
    zone: period.zone,
    subtotal,
    categories: categoryBars(usage),
    current: [...earlierDays, { day: today, amount: subtotal }],
    invoicedMonths: [...(input.invoicedMonths ?? [])],
    view: 'daily',
  };
  const previous = previousPeriod(taken, usage.periodStart, input.timeZone);
  if (previous) series.previous = previous;
  series.view = chartView(series, earlierDays.length);
  if (input.budget !== undefined && Number.isFinite(input.budget) && input.budget > 0) series.budget = input.budget;
  return series;
}

/** Invoiced months until this period has a week of snapshots or the last period's line exists. */
function chartView(series: SpendSeries, snapshotDays: number): ChartView {
  if (series.invoicedMonths.length === 0 || series.previous) return 'daily';
  return snapshotDays < DAILY_VIEW_MIN_DAYS ? 'monthly' : 'daily';
}

/** The previous period's cumulative spend by the same day of period as `day`, bridging days without data. */
export function previousByDay(series: SpendSeries, day: number): number | undefined {
  const reached = series.previous?.points.filter((point) => point.day <= day);
  return reached?.at(-1)?.amount;
}

function categoryBars(usage: UsageReport): CategoryBar[] {
  const totals = categoryTotals(usage);
  return USAGE_CATEGORIES.filter((category) => totals[category] >= 0.005).map((category) => ({
    category,
    label: CATEGORY_LABELS[category],
    amount: totals[category],
  }));
}

/** The snapshots of the latest period that started before `currentStart`. */
function previousPeriod(
  history: readonly UsageSnapshot[],
  currentStart: Date,
  timeZone: string,
): PreviousPeriodSeries | undefined {
  const starts = history
    .map((snapshot) => Date.parse(snapshot.periodStart))
    .filter((ms) => ms < currentStart.getTime());
  if (starts.length === 0) return undefined;
  const start = Math.max(...starts);
  const inPeriod = history.filter((snapshot) => Date.parse(snapshot.periodStart) === start);
  const newest = inPeriod.reduce((a, b) => (Date.parse(b.takenAt) >= Date.parse(a.takenAt) ? b : a));
  const period = periodDays(new Date(start), new Date(newest.periodEnd), timeZone);
  return { periodStart: new Date(start), days: period.days, points: lastPerDay(inPeriod, period) };
}

interface PeriodDays {
  days: number;
  zone: string;
  /** Day of period of an instant; may fall outside 1..days. */
  dayOf(at: Date): number;
}

function periodDays(start: Date, end: Date, timeZone: string): PeriodDays {
  // Like the period shown in messages: a start at UTC midnight is a date-only value, read in UTC.
  const zone = start.getTime() % DAY_MS === 0 ? 'UTC' : safeTimeZone(timeZone);
  const dayOf = (at: Date) => differenceInCalendarDays(at, start, { in: tz(zone) }) + 1;
  const lastInstant = new Date(exclusiveEnd(end).getTime() - 1);
  const valid = Number.isFinite(start.getTime()) && Number.isFinite(end.getTime()) && lastInstant >= start;
  return { days: valid ? dayOf(lastInstant) : 1, zone, dayOf };
}

/** Per day of the period, the latest snapshot's subtotal; snapshots outside the period are clamped to its ends. */
function lastPerDay(snapshots: readonly UsageSnapshot[], period: PeriodDays): DayPoint[] {
  const byDay = new Map<number, { at: number; amount: number }>();
  for (const snapshot of snapshots) {
    const at = Date.parse(snapshot.takenAt);
    const day = clampDay(period.dayOf(new Date(at)), period.days);
    const known = byDay.get(day);
    if (!known || at >= known.at) byDay.set(day, { at, amount: roundCents(finiteOr0(snapshot.subtotal)) });
  }
  return [...byDay.entries()].sort(([a], [b]) => a - b).map(([day, { amount }]) => ({ day, amount }));
}

function clampDay(day: number, days: number): number {
  return Number.isFinite(day) ? Math.min(Math.max(day, 1), days) : 1;
}

function finiteOr0(value: number): number {
  return Number.isFinite(value) ? value : 0;
}

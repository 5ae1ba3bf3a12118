/**
 * Spend anomalies from usage snapshots. Pure: snapshots in, anomalies out.
 *
 * Snapshots hold month-to-date totals, so spend between two consecutive snapshots is their difference
 * (or, across the start of a new billing period, the new period's total so far). That spend is
 * spread evenly over the time between the two snapshots, which is what makes a gap from downtime
 * harmless: three days of spend that arrive in one step count as three ordinary days, not one spike.
 *
 * Each line's and category's spend over the last 24 hours (the window) is set against its mean daily
 * spend over the seven days before (the baseline). An anomaly needs both a relative bar (the window is
 * at least `minIncreasePct` above the baseline) and an absolute floor (at least `minDailyUsd` in the
 * window), so small lines never alert; a line with no baseline spend alerts once it passes the floor.
 */
import { roundCents } from '../billing/convert';
import { CATEGORY_LABELS, USAGE_CATEGORIES, type UsageCategory } from '../billing/model';
import type { UsageSnapshot } from '../digest/snapshots';

export interface AnomalyThresholds {
  /** The window must be at least this many percent above the baseline. Default 50. */
  minIncreasePct: number;
  /** The window must be at least this many dollars. Default 20. */
  minDailyUsd: number;
}

export const DEFAULT_THRESHOLDS: AnomalyThresholds = { minIncreasePct: 50, minDailyUsd: 20 };

export interface DailySpend {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  amount: number;
}

export interface Anomaly {
  /** `line:<cost key>` or `category:<category>`: what one alert per day is counted by. */
  key: string;
  kind: 'line' | 'category';
  label: string;
  category: UsageCategory;
  reason: 'spike' | 'new';
  /** Dollars spent in the last 24 hours (scaled to a day when fewer hours are covered). */
  ratePerDay: number;
  /** Mean daily spend over the baseline week. */
  baselinePerDay: number;
  /** Extra spend by the end of the billing period if the new rate holds. */
  monthEndImpact: number;
  /** Spend per UTC day over the last two weeks, oldest first, for a sparkline. Days without data are left out. */
  daily: DailySpend[];
}

export interface DetectInput {
  /** Oldest first; any sources (hourly, daily, digest). */
  history: readonly UsageSnapshot[];
  now: Date;
  thresholds?: AnomalyThresholds;
  /** Keys (`line:…`, `category:…`) marked Expected for this period. */
  muted?: ReadonlySet<string>;
}

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
export const WINDOW_MS = DAY_MS;
export const BASELINE_DAYS = 7;
/** Less data than this and a rate is a guess: no verdict. */
export const MIN_WINDOW_COVERAGE_MS = 12 * HOUR_MS;
export const MIN_BASELINE_COVERAGE_MS = 3 * DAY_MS;
const SPARKLINE_DAYS = 14;
/** Below a cent a day, a line counts as not spending. */
const NOTHING_PER_DAY = 0.01;

/** Spend of one series between two snapshots, spread over [from, to]. */
interface Step {
  from: number;
  to: number;
  amount: number;
}

interface Series {
  key: string;
  kind: 'line' | 'category';
  label: string;
  category: UsageCategory;
  steps: Step[];
}

export function detectAnomalies(input: DetectInput): Anomaly[] {
  const thresholds = input.thresholds ?? DEFAULT_THRESHOLDS;
  const snapshots = [...input.history]
    .filter((snapshot) => Date.parse(snapshot.takenAt) <= input.now.getTime())
    .sort((a, b) => Date.parse(a.takenAt) - Date.parse(b.takenAt));
  const latest = snapshots.at(-1);
  if (!latest) return [];
  const end = Date.parse(latest.takenAt);
  const window = { from: end - WINDOW_MS, to: end };
  const baseline = { from: window.from - BASELINE_DAYS * DAY_MS, to: window.from };
  const periodEnd = Date.parse(latest.periodEnd);
  const daysLeft = Math.max(0, (periodEnd - end) / DAY_MS);

  const found: Anomaly[] = [];
  for (const series of seriesOf(snapshots)) {
    const recent = rate(series.steps, window, MIN_WINDOW_COVERAGE_MS);
    const usual = rate(series.steps, baseline, MIN_BASELINE_COVERAGE_MS);
    if (recent === undefined || usual === undefined) continue;
    const reason = verdict(recent, usual, thresholds);
    if (!reason) continue;
    found.push({
      key: series.key,
      kind: series.kind,
      label: series.label,
      category: series.category,
      reason,
      ratePerDay: roundCents(recent),
      baselinePerDay: roundCents(usual),
      monthEndImpact: roundCents((recent - usual) * daysLeft),
      daily: dailySpend(series.steps, end),
    });
  }
  // A category alert says less than the alert of a line inside it, even a muted one: "Expected" on
  // the line explains its category's rise too.
  const lineCategories = new Set(found.filter((a) => a.kind === 'line').map((a) => a.category));
  return found
    .filter((anomaly) => anomaly.kind === 'line' || !lineCategories.has(anomaly.category))
    .filter((anomaly) => !input.muted?.has(anomaly.key))
    .sort((a, b) => b.ratePerDay - b.baselinePerDay - (a.ratePerDay - a.baselinePerDay));
}

function verdict(recent: number, usual: number, thresholds: AnomalyThresholds): Anomaly['reason'] | undefined {
  if (recent < thresholds.minDailyUsd) return undefined;
  if (usual < NOTHING_PER_DAY) return 'new';
  return recent >= usual * (1 + thresholds.minIncreasePct / 100) ? 'spike' : undefined;
}

/** Dollars per day over `range`, from the time it is covered by steps; undefined when too little is covered. */
function rate(steps: readonly Step[], range: { from: number; to: number }, minCoverageMs: number): number | undefined {
  let spent = 0;
  let covered = 0;
  for (const step of steps) {
    const overlap = Math.min(step.to, range.to) - Math.max(step.from, range.from);
    if (overlap <= 0) continue;
    covered += overlap;
    spent += step.amount * (overlap / (step.to - step.from));
  }
  if (covered < minCoverageMs) return undefined;
  return (spent / covered) * DAY_MS;
}

function dailySpend(steps: readonly Step[], end: number): DailySpend[] {
  // A snapshot at midnight closes the day before; the new day has nothing in it yet.
  const lastDay = Date.parse(`${new Date(end - 1).toISOString().slice(0, 10)}T00:00:00Z`);
  const days: DailySpend[] = [];
  for (let back = SPARKLINE_DAYS - 1; back >= 0; back--) {
    const from = lastDay - back * DAY_MS;
    let amount = 0;
    let covered = false;
    for (const step of steps) {
      const overlap = Math.min(step.to, from + DAY_MS) - Math.max(step.from, from);
      if (overlap <= 0) continue;
      covered = true;
      amount += step.amount * (overlap / (step.to - step.from));
    }
    if (covered) days.push({ day: new Date(from).toISOString().slice(0, 10), amount: roundCents(amount) });
  }
  return days;
}

/** Every line and category seen in the snapshots, with its spend between consecutive snapshots. */
function seriesOf(snapshots: readonly UsageSnapshot[]): Series[] {
  const series = new Map<string, Series>();
  const ensure = (key: string, make: () => Omit<Series, 'steps'>): Series => {
    let found = series.get(key);
    if (!found) {
      found = { ...make(), steps: [] };
      series.set(key, found);
    }
    return found;
  };
  for (const snapshot of snapshots) {
    for (const [key, line] of Object.entries(snapshot.lines)) {
      ensure(`line:${key}`, () => ({ key: `line:${key}`, kind: 'line', label: line.label, category: line.category }));
    }
  }
  for (const category of USAGE_CATEGORIES) {
    ensure(`category:${category}`, () => ({
      key: `category:${category}`,
      kind: 'category',
      label: CATEGORY_LABELS[category],
      category,
    }));
  }

  for (let i = 1; i < snapshots.length; i++) {
    const before = snapshots[i - 1] as UsageSnapshot;
    const after = snapshots[i] as UsageSnapshot;
    const samePeriod = before.periodStart === after.periodStart;
    const to = Date.parse(after.takenAt);
    // Across a new period only the new period's spend is known, from its first instant.
    const from = samePeriod
      ? Date.parse(before.takenAt)
      : Math.max(Date.parse(before.takenAt), Date.parse(after.periodStart));
    if (!(to > from)) continue;
    for (const entry of series.values()) {
      const amountAt = (snapshot: UsageSnapshot) =>
        entry.kind === 'line'
          ? (snapshot.lines[entry.key.slice('line:'.length)]?.amount ?? 0)
          : (snapshot.categories[entry.category] ?? 0);
      // Credits and corrections can lower a month-to-date total; that is not negative spend.
      const amount = Math.max(0, samePeriod ? amountAt(after) - amountAt(before) : amountAt(after));
      entry.steps.push({ from, to, amount });
    }
  }
  return [...series.values()];
}

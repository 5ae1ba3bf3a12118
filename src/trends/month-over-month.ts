/**
 * This billing period's month-to-date set against the previous period at the same point: the same
 * time elapsed since each period's start. Pure; the previous period's figures come from usage
 * snapshots, interpolated between the two taken around that point.
 */
import { TZDate } from '@date-fns/tz';
import { subMonths } from 'date-fns';
import { roundCents } from '../billing/convert';
import { CATEGORY_LABELS, USAGE_CATEGORIES, type UsageCategory } from '../billing/model';
import { type Change, changeBetween } from '../digest/compose';
import type { UsageSnapshot } from '../digest/snapshots';

export interface CategoryComparison {
  category: UsageCategory;
  label: string;
  current: number;
  previous: number;
  change: Change;
}

export interface MonthOverMonth {
  current: number;
  /** The previous period's month-to-date at the same point. */
  previous: number;
  change: Change;
  previousPeriodStart: Date;
  /** The instant of the previous period compared with. */
  comparedAt: Date;
  categories: CategoryComparison[];
}

export interface CurrentPeriod {
  periodStart: Date;
  subtotal: number;
  categories: Record<UsageCategory, number>;
}

/** A snapshot further than this from the point compared with is too far to stand for it. */
export const MAX_DISTANCE_MS = 36 * 60 * 60 * 1000;

/**
 * Where in the previous period `now` falls: Viam's periods are calendar months in UTC, so the previous
 * one starts a month earlier, and the point is as far into it as `now` is into this one.
 */
export function previousPeriodPoint(periodStart: Date, now: Date): { previousStart: Date; at: Date } {
  const previousStart = new Date(subMonths(new TZDate(periodStart.getTime(), 'UTC'), 1).getTime());
  const elapsed = Math.max(0, now.getTime() - periodStart.getTime());
  // The previous period may be shorter (31 days after 30): never reach into this one.
  const at = new Date(Math.min(previousStart.getTime() + elapsed, periodStart.getTime() - 1));
  return { previousStart, at };
}

/** Undefined until snapshots of the previous period exist around the point compared with. */
export function monthOverMonth(
  current: CurrentPeriod,
  history: readonly UsageSnapshot[],
  now: Date,
): MonthOverMonth | undefined {
  const { previousStart, at } = previousPeriodPoint(current.periodStart, now);
  const earlier = history.filter((snapshot) => Date.parse(snapshot.periodStart) === previousStart.getTime());
  const point = figuresAt(earlier, at.getTime());
  if (!point) return undefined;
  return {
    current: roundCents(current.subtotal),
    previous: point.subtotal,
    change: changeBetween(point.subtotal, current.subtotal),
    previousPeriodStart: previousStart,
    comparedAt: at,
    categories: USAGE_CATEGORIES.map((category) => {
      const now = roundCents(current.categories[category] ?? 0);
      const before = point.categories[category];
      return {
        category,
        label: CATEGORY_LABELS[category],
        current: now,
        previous: before,
        change: changeBetween(before, now),
      };
    }).filter((entry) => entry.current !== 0 || entry.previous !== 0),
  };
}

interface Figures {
  subtotal: number;
  categories: Record<UsageCategory, number>;
}

/** Linear between the snapshots either side of `at`, or the nearer one alone; none if both are far. */
function figuresAt(snapshots: readonly UsageSnapshot[], at: number): Figures | undefined {
  let before: UsageSnapshot | undefined;
  let after: UsageSnapshot | undefined;
  for (const snapshot of snapshots) {
    const taken = Date.parse(snapshot.takenAt);
    if (taken <= at && (!before || taken > Date.parse(before.takenAt))) before = snapshot;
    if (taken >= at && (!after || taken < Date.parse(after.takenAt))) after = snapshot;
  }
  const near = (snapshot: UsageSnapshot | undefined) =>
    snapshot !== undefined && Math.abs(Date.parse(snapshot.takenAt) - at) <= MAX_DISTANCE_MS ? snapshot : undefined;
  const a = near(before);
  const b = near(after);
  if (a && b && a !== b) {
    const share = (at - Date.parse(a.takenAt)) / (Date.parse(b.takenAt) - Date.parse(a.takenAt));
    const mix = (x: number, y: number) => roundCents(x + (y - x) * share);
    const categories = {} as Record<UsageCategory, number>;
    for (const category of USAGE_CATEGORIES) {
      categories[category] = mix(a.categories[category] ?? 0, b.categories[category] ?? 0);
    }
    return { subtotal: mix(a.subtotal, b.subtotal), categories };
  }
  const only = a ?? b;
  if (!only) return undefined;
  const categories = {} as Record<UsageCategory, number>;
  for (const category of USAGE_CATEGORIES) categories[category] = only.categories[category] ?? 0;
  return { subtotal: only.subtotal, categories };
}

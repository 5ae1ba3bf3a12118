/**
 * Month-end projection of a billing period's spend: linear on the elapsed share of the period.
 * Shared by the digest, budget alerts and the App Home dashboard so they never disagree.
 */
import { differenceInMilliseconds } from 'date-fns';
import { roundCents } from './convert';
import type { UsageReport } from './model';

export interface BudgetStanding {
  amount: number;
  /** Month-to-date spend as a share of the budget. */
  spentFraction: number;
  /** Projected month-end total as a share of the budget. */
  projectedFraction: number;
}

export interface Projection {
  /** Month-end total if spend continues at the average rate of the period so far. */
  total: number;
  /** Share of the billing period elapsed at `now`, 0..1. */
  elapsedFraction: number;
  budget?: BudgetStanding;
}

/** Before this much of the period has passed, a linear projection multiplies noise. */
export const MIN_ELAPSED_FOR_PROJECTION_MS = 24 * 60 * 60 * 1000;

/**
 * Viam reports a period's end either as the next period's first instant or as the last millisecond
 * of this one (23:59:59.999); both describe the same length.
 */
export function exclusiveEnd(end: Date): Date {
  return (end.getTime() + 1) % 1000 === 0 ? new Date(end.getTime() + 1) : end;
}

/** The projected month-end total at `now`, or undefined in the first day of the period. */
export function projectionOf(
  usage: Pick<UsageReport, 'periodStart' | 'periodEnd' | 'subtotal'>,
  now: Date,
  budget: number | undefined,
): Projection | undefined {
  const end = exclusiveEnd(usage.periodEnd);
  const length = differenceInMilliseconds(end, usage.periodStart);
  const elapsed = Math.min(differenceInMilliseconds(now, usage.periodStart), length);
  if (!(length > 0) || elapsed < Math.min(MIN_ELAPSED_FOR_PROJECTION_MS, length)) return undefined;
  const total = roundCents((usage.subtotal * length) / elapsed);
  const projection: Projection = { total, elapsedFraction: elapsed / length };
  if (budget !== undefined && Number.isFinite(budget) && budget > 0) {
    projection.budget = { amount: budget, spentFraction: usage.subtotal / budget, projectedFraction: total / budget };
  }
  return projection;
}

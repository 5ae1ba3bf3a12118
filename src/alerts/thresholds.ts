/**
 * Which budget thresholds month-to-date spend has crossed, and which one to alert. Pure: numbers in,
 * a plan out. Amounts are compared in whole cents so that "exactly 50%" is crossed, never missed by
 * a floating-point hair.
 */

/** The month-end projection going over the budget sits between 80% and 100% spent. */
export type BudgetThreshold = 'spent-50' | 'spent-80' | 'projected-over' | 'spent-100';

/**
 * Least to most serious. When several are newly crossed at once, only the most serious is alerted
 * and the others count as done: one message, not three.
 */
export const BUDGET_THRESHOLDS: readonly BudgetThreshold[] = ['spent-50', 'spent-80', 'projected-over', 'spent-100'];

/** Percent of the budget that month-to-date spend must reach, for the spend thresholds. */
export const SPENT_PERCENT: Readonly<Record<Exclude<BudgetThreshold, 'projected-over'>, number>> = {
  'spent-50': 50,
  'spent-80': 80,
  'spent-100': 100,
};

export interface BudgetReading {
  /** Month-to-date spend in US dollars. */
  spent: number;
  /** The monthly budget in US dollars. */
  budget: number;
  /** Projected month-end total; absent early in a period, when no projection is made. */
  projected?: number;
}

export interface BudgetAlertPlan {
  /** The threshold the alert is about. */
  alert: BudgetThreshold;
  /** Less serious thresholds crossed at the same time, marked done without a message of their own. */
  covers: BudgetThreshold[];
}

function cents(amount: number): number {
  return Number.isFinite(amount) ? Math.round(amount * 100) : 0;
}

/** Every threshold the reading has reached, least serious first. */
export function crossedThresholds(reading: BudgetReading): BudgetThreshold[] {
  const budget = cents(reading.budget);
  if (budget <= 0) return [];
  const spent = cents(reading.spent);
  return BUDGET_THRESHOLDS.filter((threshold) => {
    if (threshold === 'projected-over') return reading.projected !== undefined && cents(reading.projected) > budget;
    return spent * 100 >= budget * SPENT_PERCENT[threshold];
  });
}

/** The alert to send now, or undefined when every crossed threshold was already dealt with. */
export function planBudgetAlert(
  crossed: readonly BudgetThreshold[],
  done: ReadonlySet<BudgetThreshold>,
): BudgetAlertPlan | undefined {
  const fresh = BUDGET_THRESHOLDS.filter((threshold) => crossed.includes(threshold) && !done.has(threshold));
  const alert = fresh.at(-1);
  if (alert === undefined) return undefined;
  return { alert, covers: fresh.slice(0, -1) };
}

/**
 * Groups a usage report's lines the way Viam's billing page shows them: by category, biggest first,
 * zero lines left out. (Plain per-category sums for computation are billing's categoryTotals.)
 */
import {
  CATEGORY_LABELS,
  type CostLine,
  USAGE_CATEGORIES,
  type UsageCategory,
  type UsageReport,
} from '../billing/model';

export interface CategoryTotal {
  category: UsageCategory;
  label: string;
  amount: number;
}

/** Below half a cent a line shows as $0.00, so it counts as nothing to show. */
export function isZeroAmount(amount: number): boolean {
  return !Number.isFinite(amount) || Math.abs(amount) < 0.005;
}

export function sumLines(lines: readonly CostLine[]): number {
  return lines.reduce((sum, line) => sum + (Number.isFinite(line.amount) ? line.amount : 0), 0);
}

/** Every category with a non-zero amount across all sources, biggest first (ties keep Viam's page order). */
export function rankedCategories(report: UsageReport): CategoryTotal[] {
  const lines = report.sources.flatMap((source) => source.lines);
  return linesByCategory(lines).map(({ category, label, lines: own }) => ({ category, label, amount: sumLines(own) }));
}

export interface CategoryLines {
  category: UsageCategory;
  label: string;
  amount: number;
  /** Non-zero lines, biggest first. */
  lines: CostLine[];
}

/** Groups lines by category, dropping zero lines and empty categories, biggest category first. */
export function linesByCategory(lines: readonly CostLine[]): CategoryLines[] {
  const groups = USAGE_CATEGORIES.map((category) => {
    const own = lines
      .filter((line) => categoryOf(line) === category && !isZeroAmount(line.amount))
      .sort((a, b) => b.amount - a.amount);
    return { category, label: CATEGORY_LABELS[category], amount: sumLines(own), lines: own };
  });
  return groups
    .filter((group) => group.lines.length > 0 && !isZeroAmount(group.amount))
    .sort((a, b) => b.amount - a.amount);
}

/** A category this build does not know lands in Other rather than disappearing. */
function categoryOf(line: CostLine): UsageCategory {
  return USAGE_CATEGORIES.includes(line.category) ? line.category : 'other';
}

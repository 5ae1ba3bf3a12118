import type { UsageReport } from '../billing/model';
import { categoryTotals } from '../billing/usage-totals';
import type { UsageSnapshots } from '../digest/snapshots';
import type { Logger } from '../logger';
import type { WorkspaceRef } from '../store';
import { type MonthOverMonth, monthOverMonth, previousPeriodPoint } from './month-over-month';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface MonthOverMonthTarget {
  ref: WorkspaceRef;
  orgId: string;
  now: Date;
  logger: Logger;
}

/**
 * Reads only the two days around the point of last period being compared with. Unreadable history
 * leaves the comparison out rather than failing the answer.
 */
export async function monthOverMonthFor(
  snapshots: UsageSnapshots,
  input: MonthOverMonthTarget,
  usage: UsageReport,
): Promise<MonthOverMonth | undefined> {
  const { at } = previousPeriodPoint(usage.periodStart, input.now);
  try {
    const nearby = await snapshots.history(input.ref, input.orgId, {
      since: new Date(at.getTime() - 2 * DAY_MS),
      until: new Date(at.getTime() + 2 * DAY_MS),
    });
    return monthOverMonth(
      { periodStart: usage.periodStart, subtotal: usage.subtotal, categories: categoryTotals(usage) },
      nearby,
      input.now,
    );
  } catch (error) {
    input.logger.warn(
      { orgId: input.orgId, err: String(error) },
      'usage history unreadable; no month-over-month figure',
    );
    return undefined;
  }
}

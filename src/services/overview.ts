import type { BillingClient } from '../billing';
import type { ViamApiKey } from '../billing/model';
import type { OverviewData } from '../blocks/overview';
import type { Logger } from '../logger';
import { describeFailure } from './user-errors';

/**
 * The three reads behind the overview, in parallel. One failing read does not hide the other two:
 * its place carries a user-safe sentence instead. When all three fail the first error is thrown, so
 * the user gets one clear answer rather than three copies of it.
 */
export async function loadOverview(
  billing: BillingClient,
  key: ViamApiKey,
  orgId: string,
  logger: Logger,
): Promise<OverviewData> {
  const [usage, invoices, info] = await Promise.allSettled([
    billing.getCurrentMonthUsage(key, orgId),
    billing.getInvoicesSummary(key, orgId),
    billing.getOrgBillingInformation(key, orgId),
  ]);
  if (usage.status === 'rejected' && invoices.status === 'rejected' && info.status === 'rejected') {
    throw usage.reason;
  }
  const part = <T>(result: PromiseSettledResult<T>, what: string): T | { error: string } => {
    if (result.status === 'fulfilled') return result.value;
    logger.warn({ err: result.reason, part: what }, 'part of the overview could not be loaded');
    return { error: describeFailure(result.reason).message };
  };
  return { usage: part(usage, 'usage'), invoices: part(invoices, 'invoices'), billing: part(info, 'billing') };
}

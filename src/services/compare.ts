import type { BillingClient } from '../billing';
import type { ViamApiKey } from '../billing/model';
import type { CompareData } from '../blocks/compare';
import { UsageSnapshots } from '../digest/snapshots';
import type { Logger } from '../logger';
import type { Store, WorkspaceRef } from '../store';
import { invoiceTrend } from '../trends/invoice-trend';
import { monthOverMonthFor } from '../trends/month-over-month-history';

export interface CompareInput {
  store: Store;
  billing: BillingClient;
  ref: WorkspaceRef;
  orgId: string;
  key: ViamApiKey;
  now: Date;
  logger: Logger;
}

/** Usage and invoices from Viam (in parallel) and last period's figure from the stored snapshots. */
export async function loadComparison(input: CompareInput): Promise<CompareData> {
  const [usage, invoices] = await Promise.all([
    input.billing.getCurrentMonthUsage(input.key, input.orgId),
    input.billing.getInvoicesSummary(input.key, input.orgId),
  ]);
  const mom = await monthOverMonthFor(new UsageSnapshots(input.store, () => input.now), input, usage);
  return {
    monthToDate: usage.subtotal,
    invoices: invoiceTrend(invoices),
    ...(mom ? { monthOverMonth: mom } : {}),
  };
}

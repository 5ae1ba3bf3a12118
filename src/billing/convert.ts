import {
  type GetCurrentMonthUsageResponse,
  type GetInvoicesSummaryResponse,
  type GetOrgBillingInformationResponse,
  type InvoiceSummary,
  PaymentMethodType,
  type ResourceUsageCostsBySource,
  SourceType,
  UsageCostType,
} from '../gen/viam/app/v1/billing';
import { describeCostType } from './cost-types';
import type {
  BillingInfo,
  CostLine,
  Invoice,
  InvoicesSummary,
  PaymentMethod,
  UsageReport,
  UsageSource,
  UsageSourceKind,
} from './model';

/**
 * Generated messages to domain types. Pure: the same message (and `now`, used only to fill a missing
 * billing period) always gives the same result, and nothing here throws on odd input, because the
 * server's enum values and free strings grow over time.
 */

/** Money derived by summing doubles is rounded to cents so 0.1 + 0.2 shows as 0.3. */
export function roundCents(amount: number): number {
  return Math.round(amount * 100) / 100;
}

/** proto3 cannot tell an unset Timestamp from the epoch, so both mean "no date". */
export function presentDate(date: Date | undefined): Date | undefined {
  if (date === undefined || Number.isNaN(date.getTime()) || date.getTime() === 0) return undefined;
  return date;
}

function finite(value: number): number {
  return Number.isFinite(value) ? value : 0;
}

function costLine(costType: number, amount: number): CostLine {
  const { key, label, category } = describeCostType(costType);
  return { costType, key, label, category, amount: finite(amount) };
}

function sumLines(lines: readonly CostLine[]): number {
  return roundCents(lines.reduce((sum, line) => sum + line.amount, 0));
}

function sourceKind(sourceType: SourceType): UsageSourceKind {
  if (sourceType === SourceType.SOURCE_TYPE_ORG) return 'org';
  if (sourceType === SourceType.SOURCE_TYPE_FRAGMENT) return 'fragment';
  return 'unspecified';
}

/** Totals Viam left at zero are rebuilt from the lines, so a source never shows $0 over priced lines. */
function sourceWithTotals(
  kind: UsageSourceKind,
  tierName: string,
  lines: CostLine[],
  discount: number,
  totalWithDiscount: number,
  totalWithoutDiscount: number,
): UsageSource {
  const without = totalWithoutDiscount !== 0 ? totalWithoutDiscount : sumLines(lines);
  const withDiscount = totalWithDiscount !== 0 ? totalWithDiscount : roundCents(Math.max(0, without - discount));
  return { kind, tierName, discount, totalWithDiscount: withDiscount, totalWithoutDiscount: without, lines };
}

function usageSource(message: ResourceUsageCostsBySource): UsageSource {
  const costs = message.resourceUsageCosts;
  const lines = (costs?.usageCosts ?? []).map((cost) => costLine(cost.resourceType, cost.cost));
  return sourceWithTotals(
    sourceKind(message.sourceType),
    message.tierName,
    lines,
    finite(costs?.discount ?? 0),
    finite(costs?.totalWithDiscount ?? 0),
    finite(costs?.totalWithoutDiscount ?? 0),
  );
}

/** Fields 3-13 of the response, in the order Viam's old billing page listed them. */
function deprecatedLines(message: GetCurrentMonthUsageResponse): CostLine[] {
  const flat: Array<[number, number]> = [
    [UsageCostType.USAGE_COST_TYPE_CLOUD_STORAGE, message.cloudStorageUsageCost],
    [UsageCostType.USAGE_COST_TYPE_BINARY_DATA_CLOUD_STORAGE, message.binaryDataCloudStorageUsageCost],
    [UsageCostType.USAGE_COST_TYPE_OTHER_CLOUD_STORAGE, message.otherCloudStorageUsageCost],
    [UsageCostType.USAGE_COST_TYPE_DATA_UPLOAD, message.dataUploadUsageCost],
    [UsageCostType.USAGE_COST_TYPE_DATA_EGRESS, message.dataEgresUsageCost],
    [UsageCostType.USAGE_COST_TYPE_REMOTE_CONTROL, message.remoteControlUsageCost],
    [UsageCostType.USAGE_COST_TYPE_STANDARD_COMPUTE, message.standardComputeUsageCost],
    [UsageCostType.USAGE_COST_TYPE_PER_MACHINE, message.perMachineUsageCost],
  ];
  // proto3 sends no zero doubles, so a zero flat field is indistinguishable from "not billed".
  return flat.filter(([, amount]) => finite(amount) !== 0).map(([costType, amount]) => costLine(costType, amount));
}

function hasDeprecatedFields(message: GetCurrentMonthUsageResponse): boolean {
  return (
    deprecatedLines(message).length > 0 ||
    finite(message.discountAmount) !== 0 ||
    finite(message.totalUsageWithDiscount) !== 0 ||
    finite(message.totalUsageWithoutDiscount) !== 0
  );
}

function utcMonthStart(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}

function utcMonthEnd(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) - 1);
}

/**
 * @param now fills a missing period with the current UTC calendar month (Viam bills per UTC month);
 *   nothing else depends on it.
 */
export function toUsageReport(orgId: string, message: GetCurrentMonthUsageResponse, now: Date): UsageReport {
  const periodStart = presentDate(message.startDate) ?? utcMonthStart(now);
  const periodEnd = presentDate(message.endDate) ?? utcMonthEnd(now);

  let sources = message.resourceUsageCostsBySource.map(usageSource);
  let fromDeprecatedFields = false;
  if (sources.length === 0 && hasDeprecatedFields(message)) {
    fromDeprecatedFields = true;
    sources = [
      sourceWithTotals(
        'org',
        '',
        deprecatedLines(message),
        finite(message.discountAmount),
        finite(message.totalUsageWithDiscount),
        finite(message.totalUsageWithoutDiscount),
      ),
    ];
  }

  const reported = finite(message.subtotal);
  const subtotal =
    reported !== 0 || sources.length === 0
      ? reported
      : roundCents(sources.reduce((sum, source) => sum + source.totalWithDiscount, 0));

  return { orgId, periodStart, periodEnd, subtotal, sources, fromDeprecatedFields };
}

function toInvoice(message: InvoiceSummary): Invoice {
  const reason = message.lastPaymentFailureReason.trim();
  const invoice: Invoice = {
    id: message.id,
    amount: finite(message.invoiceAmount),
    status: message.status.trim().toLowerCase(),
  };
  const date = presentDate(message.invoiceDate);
  const dueDate = presentDate(message.dueDate);
  const paidDate = presentDate(message.paidDate);
  if (date) invoice.date = date;
  if (dueDate) invoice.dueDate = dueDate;
  if (paidDate) invoice.paidDate = paidDate;
  if (reason !== '') {
    const at = presentDate(message.lastPaymentFailureAt);
    invoice.paymentFailure = at ? { reason, at } : { reason };
  }
  return invoice;
}

/** Newest first; undated invoices go last, and ties keep Viam's order. */
function newestFirst(a: Invoice, b: Invoice): number {
  const left = a.date?.getTime() ?? Number.NEGATIVE_INFINITY;
  const right = b.date?.getTime() ?? Number.NEGATIVE_INFINITY;
  if (left === right) return 0;
  return right > left ? 1 : -1;
}

export function toInvoicesSummary(message: GetInvoicesSummaryResponse): InvoicesSummary {
  return {
    outstandingBalance: finite(message.outstandingBalance),
    invoices: message.invoices.map(toInvoice).sort(newestFirst),
  };
}

function toPaymentMethod(message: GetOrgBillingInformationResponse): PaymentMethod {
  const card = message.method;
  const bank = message.methodUsBankAccount;
  // The type says which optional field is set; if they ever disagree, trust what was actually sent.
  const preferBank = message.type === PaymentMethodType.PAYMENT_METHOD_TYPE_USBANKACCOUNT;
  if (bank && (preferBank || !card)) {
    const method: PaymentMethod = {
      kind: 'bank_account',
      bankName: bank.bankName,
      lastFour: bank.lastFourDigitsAccountNumber,
      accountType: bank.accountType,
    };
    const url = bank.verificationInfo?.hostedVerificationPageUrl.trim();
    if (url) method.verificationUrl = url;
    return method;
  }
  if (card) return { kind: 'card', brand: card.brand, lastFour: card.lastFourDigits };
  return { kind: 'none' };
}

export function toBillingInfo(message: GetOrgBillingInformationResponse): BillingInfo {
  const info: BillingInfo = { billingEmail: message.billingEmail, paymentMethod: toPaymentMethod(message) };
  const tier = message.billingTier?.trim();
  if (tier) info.tier = tier;
  return info;
}

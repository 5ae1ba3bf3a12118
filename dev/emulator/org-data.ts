import {
  GetCurrentMonthUsageResponse,
  type GetInvoicesSummaryResponse,
  GetOrgBillingInformationResponse,
  type InvoiceSummary,
  PaymentMethodType,
  type ResourceUsageCostsBySource,
  SourceType,
} from '../../src/gen/viam/app/v1/billing';
import { addDays, addHours, notAfter, utcMidnight, utcMonthEnd, utcMonthStart } from './calendar';
import { costTypeNumber } from './cost-types';
import type { FixtureInvoice, FixtureOrg, FixtureUsageSource } from './fixture';

/**
 * Turns one fixture org into the messages Viam would send, as of the emulator's clock. Pure: the
 * same org and instant always give the same messages, which the tests and the PDF maker rely on.
 */

const cents = (dollars: number): number => Math.round(dollars * 100);
const dollars = (cents: number): number => cents / 100;

/** Statuses that count as settled; every other status (outstanding, overdue, processing...) is unpaid. */
const SETTLED_STATUSES: ReadonlySet<string> = new Set(['paid', 'free']);

function sourceMessage(source: FixtureUsageSource): ResourceUsageCostsBySource {
  const withoutDiscount = source.costs.reduce((sum, line) => sum + cents(line.cost), 0);
  return {
    sourceType: source.source === 'org' ? SourceType.SOURCE_TYPE_ORG : SourceType.SOURCE_TYPE_FRAGMENT,
    tierName: source.tierName,
    resourceUsageCosts: {
      usageCosts: source.costs.map((line) => ({ resourceType: costTypeNumber(line.type) ?? 0, cost: line.cost })),
      discount: source.discount,
      totalWithoutDiscount: dollars(withoutDiscount),
      totalWithDiscount: dollars(withoutDiscount - cents(source.discount)),
    },
  };
}

/**
 * Month-to-date usage for the UTC calendar month holding `now`: the fixture's lines, or `usage` when
 * given (a usage timeline's figures at `now`). Only the per-source breakdown and subtotal are filled;
 * the deprecated flat fields stay zero (tests that need them use an override).
 */
export function usageResponse(
  org: FixtureOrg,
  now: Date,
  usage: readonly FixtureUsageSource[] = org.usage,
): GetCurrentMonthUsageResponse {
  const sources = usage.map(sourceMessage);
  const subtotal = sources.reduce((sum, source) => sum + cents(source.resourceUsageCosts?.totalWithDiscount ?? 0), 0);
  return GetCurrentMonthUsageResponse.fromPartial({
    startDate: utcMonthStart(now),
    endDate: utcMonthEnd(now),
    resourceUsageCostsBySource: sources,
    subtotal: dollars(subtotal),
  });
}

export function billingInfoResponse(org: FixtureOrg, now: Date): GetOrgBillingInformationResponse {
  const method = org.billing.paymentMethod;
  const base = { billingEmail: org.billing.email, billingTier: org.billing.tier };
  switch (method.type) {
    case 'card':
      return GetOrgBillingInformationResponse.fromPartial({
        ...base,
        type: PaymentMethodType.PAYMENT_METHOD_TYPE_CARD,
        method: { brand: method.brand, lastFourDigits: method.lastFour },
      });
    case 'us_bank_account':
      return GetOrgBillingInformationResponse.fromPartial({
        ...base,
        type: PaymentMethodType.PAYMENT_METHOD_TYPE_USBANKACCOUNT,
        methodUsBankAccount: {
          bankName: method.bankName,
          lastFourDigitsAccountNumber: method.lastFour,
          routingNumber: method.routingNumber,
          accountType: method.accountType,
          verificationInfo: method.verification && {
            // Unix seconds of the day the micro-deposits are expected.
            arrivalDate: Math.floor(addDays(utcMidnight(now), method.verification.arrivalInDays).getTime() / 1000),
            hostedVerificationPageUrl: method.verification.hostedVerificationPageUrl,
          },
        },
      });
    case 'none':
      return GetOrgBillingInformationResponse.fromPartial({
        ...base,
        type: PaymentMethodType.PAYMENT_METHOD_TYPE_UNSPECIFIED,
      });
  }
}

/** An invoice is dated the 1st of the month after the month it bills. */
function invoiceMessage(invoice: FixtureInvoice, paymentTermsDays: number, now: Date): InvoiceSummary {
  const invoiceDate = utcMonthStart(now, 1 - invoice.monthsAgo);
  const failure = invoice.paymentFailure;
  return {
    id: invoice.id,
    invoiceDate,
    invoiceAmount: invoice.amount,
    status: invoice.status,
    dueDate: addDays(invoiceDate, paymentTermsDays),
    paidDate:
      invoice.paidAfterDays === undefined ? undefined : notAfter(addDays(invoiceDate, invoice.paidAfterDays), now),
    lastPaymentFailureReason: failure?.reason ?? '',
    lastPaymentFailureAt: failure && notAfter(addHours(invoiceDate, failure.hoursAfterInvoice), now),
  };
}

/** Invoices newest first; the outstanding balance is the sum of every invoice not yet settled. */
export function invoicesResponse(org: FixtureOrg, now: Date): GetInvoicesSummaryResponse {
  const invoices = [...org.invoices]
    .sort((a, b) => a.monthsAgo - b.monthsAgo)
    .map((invoice) => invoiceMessage(invoice, org.paymentTermsDays, now));
  const unpaid = invoices
    .filter((invoice) => !SETTLED_STATUSES.has(invoice.status))
    .reduce((sum, invoice) => sum + cents(invoice.invoiceAmount), 0);
  return { outstandingBalance: dollars(unpaid), invoices };
}

/** The month an invoice bills: the calendar month before its invoice date. */
export function billedPeriod(invoiceDate: Date): { start: Date; end: Date } {
  return { start: utcMonthStart(invoiceDate, -1), end: new Date(utcMonthStart(invoiceDate).getTime() - 1) };
}

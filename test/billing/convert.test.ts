import { presentDate, roundCents, toBillingInfo, toInvoicesSummary, toUsageReport } from '../../src/billing/convert';
import {
  GetCurrentMonthUsageResponse,
  GetInvoicesSummaryResponse,
  GetOrgBillingInformationResponse,
  PaymentMethodType,
  SourceType,
  UsageCostType,
} from '../../src/gen/viam/app/v1/billing';

const ORG = '0b4a5a4e-2f1c-4f55-9d61-2d0f3c7c1a11';
const NOW = new Date('2026-11-16T12:00:00Z');

describe('toUsageReport', () => {
  it('keeps the period, subtotal, every source and every line (zero lines too)', () => {
    const report = toUsageReport(
      ORG,
      GetCurrentMonthUsageResponse.fromPartial({
        startDate: new Date('2026-11-01T00:00:00Z'),
        endDate: new Date('2026-11-30T23:59:59.999Z'),
        subtotal: 96.5,
        resourceUsageCostsBySource: [
          {
            sourceType: SourceType.SOURCE_TYPE_ORG,
            tierName: '',
            resourceUsageCosts: {
              usageCosts: [
                { resourceType: UsageCostType.USAGE_COST_TYPE_BINARY_DATA_CLOUD_STORAGE, cost: 40 },
                { resourceType: UsageCostType.USAGE_COST_TYPE_TABULAR_DATA_UPLOAD, cost: 0 },
              ],
              discount: 5,
              totalWithDiscount: 35,
              totalWithoutDiscount: 40,
            },
          },
          {
            sourceType: SourceType.SOURCE_TYPE_FRAGMENT,
            tierName: 'Fleet Basic',
            resourceUsageCosts: {
              usageCosts: [{ resourceType: UsageCostType.USAGE_COST_TYPE_PER_MACHINE, cost: 61.5 }],
              discount: 0,
              totalWithDiscount: 61.5,
              totalWithoutDiscount: 61.5,
            },
          },
        ],
      }),
      NOW,
    );

    expect(report).toEqual({
      orgId: ORG,
      periodStart: new Date('2026-11-01T00:00:00Z'),
      periodEnd: new Date('2026-11-30T23:59:59.999Z'),
      subtotal: 96.5,
      fromDeprecatedFields: false,
      sources: [
        {
          kind: 'org',
          tierName: '',
          discount: 5,
          totalWithDiscount: 35,
          totalWithoutDiscount: 40,
          lines: [
            {
              costType: 6,
              key: 'binary_data_cloud_storage',
              label: 'Binary data storage',
              category: 'storage',
              amount: 40,
            },
            {
              costType: 16,
              key: 'tabular_data_upload',
              label: 'Tabular data upload',
              category: 'data_transfer',
              amount: 0,
            },
          ],
        },
        {
          kind: 'fragment',
          tierName: 'Fleet Basic',
          discount: 0,
          totalWithDiscount: 61.5,
          totalWithoutDiscount: 61.5,
          lines: [{ costType: 8, key: 'per_machine', label: 'Per-machine fee', category: 'other', amount: 61.5 }],
        },
      ],
    });
  });

  it('keeps a cost type this build does not know as an "other" line', () => {
    const report = toUsageReport(
      ORG,
      GetCurrentMonthUsageResponse.fromPartial({
        resourceUsageCostsBySource: [
          {
            sourceType: 7 as SourceType,
            resourceUsageCosts: { usageCosts: [{ resourceType: 42 as UsageCostType, cost: 1.25 }] },
          },
        ],
        subtotal: 1.25,
      }),
      NOW,
    );
    expect(report.sources[0]?.kind).toBe('unspecified');
    expect(report.sources[0]?.lines).toEqual([
      { costType: 42, key: 'unknown_42', label: 'Other charges (type 42)', category: 'other', amount: 1.25 },
    ]);
  });

  it('falls back to the deprecated flat fields when there is no breakdown', () => {
    const report = toUsageReport(
      ORG,
      GetCurrentMonthUsageResponse.fromPartial({
        startDate: new Date('2026-11-01T00:00:00Z'),
        endDate: new Date('2026-11-30T23:59:59.999Z'),
        cloudStorageUsageCost: 100,
        dataUploadUsageCost: 101,
        dataEgresUsageCost: 102,
        remoteControlUsageCost: 103,
        standardComputeUsageCost: 104,
        perMachineUsageCost: 8,
        binaryDataCloudStorageUsageCost: 6,
        otherCloudStorageUsageCost: 7,
        discountAmount: 31,
        totalUsageWithDiscount: 500,
        totalUsageWithoutDiscount: 531,
      }),
      NOW,
    );

    expect(report.fromDeprecatedFields).toBe(true);
    expect(report.subtotal).toBe(500);
    expect(report.sources).toHaveLength(1);
    const [source] = report.sources;
    expect(source).toMatchObject({
      kind: 'org',
      tierName: '',
      discount: 31,
      totalWithDiscount: 500,
      totalWithoutDiscount: 531,
    });
    expect(source?.lines.map((line) => [line.costType, line.amount])).toEqual([
      [5, 100],
      [6, 6],
      [7, 7],
      [1, 101],
      [2, 102],
      [3, 103],
      [4, 104],
      [8, 8],
    ]);
  });

  it('derives missing totals and subtotal from the lines', () => {
    const fromSources = toUsageReport(
      ORG,
      GetCurrentMonthUsageResponse.fromPartial({
        resourceUsageCostsBySource: [
          {
            sourceType: SourceType.SOURCE_TYPE_ORG,
            resourceUsageCosts: {
              usageCosts: [
                { resourceType: UsageCostType.USAGE_COST_TYPE_STANDARD_COMPUTE, cost: 0.1 },
                { resourceType: UsageCostType.USAGE_COST_TYPE_REMOTE_CONTROL, cost: 0.2 },
              ],
              discount: 0.05,
            },
          },
          {
            sourceType: SourceType.SOURCE_TYPE_FRAGMENT,
            resourceUsageCosts: { usageCosts: [], totalWithDiscount: 10, totalWithoutDiscount: 12, discount: 2 },
          },
        ],
      }),
      NOW,
    );
    expect(fromSources.sources[0]).toMatchObject({ totalWithoutDiscount: 0.3, totalWithDiscount: 0.25 });
    expect(fromSources.subtotal).toBe(10.25);

    const flatWithoutTotals = toUsageReport(
      ORG,
      GetCurrentMonthUsageResponse.fromPartial({ standardComputeUsageCost: 4, discountAmount: 1 }),
      NOW,
    );
    expect(flatWithoutTotals.sources[0]).toMatchObject({ totalWithoutDiscount: 4, totalWithDiscount: 3 });
    expect(flatWithoutTotals.subtotal).toBe(3);
  });

  it('gives an empty report for an empty month, with the current UTC month as its period', () => {
    const report = toUsageReport(ORG, GetCurrentMonthUsageResponse.fromPartial({}), NOW);
    expect(report).toEqual({
      orgId: ORG,
      periodStart: new Date('2026-11-01T00:00:00Z'),
      periodEnd: new Date('2026-11-30T23:59:59.999Z'),
      subtotal: 0,
      sources: [],
      fromDeprecatedFields: false,
    });
  });

  it('treats a zero Timestamp as missing rather than 1970', () => {
    const report = toUsageReport(
      ORG,
      GetCurrentMonthUsageResponse.fromPartial({ startDate: new Date(0), endDate: new Date(0) }),
      NOW,
    );
    expect(report.periodStart.toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });
});

describe('toInvoicesSummary', () => {
  it('sorts newest first, normalises the status and drops empty dates', () => {
    const summary = toInvoicesSummary(
      GetInvoicesSummaryResponse.fromPartial({
        outstandingBalance: 120.5,
        invoices: [
          {
            id: 'in_old',
            invoiceDate: new Date('2026-09-01T00:00:00Z'),
            invoiceAmount: 50,
            status: 'Paid',
            dueDate: new Date('2026-09-16T00:00:00Z'),
            paidDate: new Date('2026-09-02T00:00:00Z'),
          },
          { id: 'in_undated', invoiceAmount: 1, status: 'free', invoiceDate: new Date(0) },
          {
            id: 'in_new',
            invoiceDate: new Date('2026-11-01T00:00:00Z'),
            invoiceAmount: 120.5,
            status: '  OUTSTANDING ',
            dueDate: new Date('2026-11-16T00:00:00Z'),
            paidDate: new Date(0),
            lastPaymentFailureReason: 'card_declined',
            lastPaymentFailureAt: new Date('2026-11-01T02:00:00Z'),
          },
          { id: 'in_mid', invoiceDate: new Date('2026-10-01T00:00:00Z'), invoiceAmount: 70, status: 'refunded' },
        ],
      }),
    );

    expect(summary.outstandingBalance).toBe(120.5);
    expect(summary.invoices.map((invoice) => invoice.id)).toEqual(['in_new', 'in_mid', 'in_old', 'in_undated']);
    expect(summary.invoices[0]).toEqual({
      id: 'in_new',
      date: new Date('2026-11-01T00:00:00Z'),
      amount: 120.5,
      status: 'outstanding',
      dueDate: new Date('2026-11-16T00:00:00Z'),
      paymentFailure: { reason: 'card_declined', at: new Date('2026-11-01T02:00:00Z') },
    });
    expect(summary.invoices[1]).toEqual({
      id: 'in_mid',
      date: new Date('2026-10-01T00:00:00Z'),
      amount: 70,
      status: 'refunded',
    });
    expect(summary.invoices[2]?.paidDate).toEqual(new Date('2026-09-02T00:00:00Z'));
    expect(summary.invoices[3]).toEqual({ id: 'in_undated', amount: 1, status: 'free' });
  });

  it('keeps a failure reason without a time, and none when the reason is empty', () => {
    const summary = toInvoicesSummary(
      GetInvoicesSummaryResponse.fromPartial({
        invoices: [
          { id: 'a', lastPaymentFailureReason: 'brand_new_reason' },
          { id: 'b', lastPaymentFailureReason: '', lastPaymentFailureAt: new Date('2026-11-01T00:00:00Z') },
        ],
      }),
    );
    expect(summary.invoices.find((invoice) => invoice.id === 'a')?.paymentFailure).toEqual({
      reason: 'brand_new_reason',
    });
    expect(summary.invoices.find((invoice) => invoice.id === 'b')).not.toHaveProperty('paymentFailure');
  });
});

describe('toBillingInfo', () => {
  it('reads a card', () => {
    const info = toBillingInfo(
      GetOrgBillingInformationResponse.fromPartial({
        type: PaymentMethodType.PAYMENT_METHOD_TYPE_CARD,
        billingEmail: 'billing@example.com',
        method: { brand: 'visa', lastFourDigits: '4242' },
      }),
    );
    expect(info).toEqual({
      billingEmail: 'billing@example.com',
      paymentMethod: { kind: 'card', brand: 'visa', lastFour: '4242' },
    });
  });

  it('reads a US bank account with its verification link and the tier', () => {
    const info = toBillingInfo(
      GetOrgBillingInformationResponse.fromPartial({
        type: PaymentMethodType.PAYMENT_METHOD_TYPE_USBANKACCOUNT,
        billingEmail: 'ap@example.com',
        billingTier: 'enterprise',
        methodUsBankAccount: {
          bankName: 'STRIPE TEST BANK',
          lastFourDigitsAccountNumber: '6789',
          routingNumber: '110000000',
          accountType: 'checking',
          verificationInfo: { arrivalDate: 1_795_000_000, hostedVerificationPageUrl: 'https://pay.example/verify/1' },
        },
      }),
    );
    expect(info).toEqual({
      billingEmail: 'ap@example.com',
      tier: 'enterprise',
      paymentMethod: {
        kind: 'bank_account',
        bankName: 'STRIPE TEST BANK',
        lastFour: '6789',
        accountType: 'checking',
        verificationUrl: 'https://pay.example/verify/1',
      },
    });
  });

  it('leaves out the verification link of a verified account', () => {
    const info = toBillingInfo(
      GetOrgBillingInformationResponse.fromPartial({
        type: PaymentMethodType.PAYMENT_METHOD_TYPE_USBANKACCOUNT,
        methodUsBankAccount: { bankName: 'B', lastFourDigitsAccountNumber: '1111', accountType: 'savings' },
      }),
    );
    expect(info.paymentMethod).toEqual({
      kind: 'bank_account',
      bankName: 'B',
      lastFour: '1111',
      accountType: 'savings',
    });
  });

  it('reads no payment method, and no tier when it is empty', () => {
    const info = toBillingInfo(
      GetOrgBillingInformationResponse.fromPartial({ billingEmail: 'x@example.com', billingTier: '' }),
    );
    expect(info).toEqual({ billingEmail: 'x@example.com', paymentMethod: { kind: 'none' } });
  });

  it('trusts the field that was sent when the type disagrees', () => {
    const info = toBillingInfo(
      GetOrgBillingInformationResponse.fromPartial({
        type: PaymentMethodType.PAYMENT_METHOD_TYPE_UNSPECIFIED,
        method: { brand: 'amex', lastFourDigits: '0005' },
      }),
    );
    expect(info.paymentMethod).toEqual({ kind: 'card', brand: 'amex', lastFour: '0005' });
  });
});

describe('small helpers', () => {
  it('rounds to cents', () => {
    expect(roundCents(0.1 + 0.2)).toBe(0.3);
    expect(roundCents(19.999)).toBe(20);
  });

  it('treats epoch and invalid dates as absent', () => {
    expect(presentDate(new Date(0))).toBeUndefined();
    expect(presentDate(new Date(Number.NaN))).toBeUndefined();
    expect(presentDate(undefined)).toBeUndefined();
    expect(presentDate(new Date(5))).toEqual(new Date(5));
  });
});

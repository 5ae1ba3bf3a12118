/**
 * Realistic billing data for the renderer tests: an org with its own usage and a discounted
 * fragment tier, invoices in every state, and payment methods that need attention or not.
 */
import type {
  BillingInfo,
  CostLine,
  Invoice,
  InvoicesSummary,
  UsageCategory,
  UsageReport,
  UsageSource,
} from '../../src/billing/model';
import type { RenderContext } from '../../src/blocks/message';
import type { ConnectedOrgRow } from '../../src/blocks/orgs';

/** Nov 26, 2026, 10:00 in New York: day 26 of a 30-day November period. */
export const NOW = new Date('2026-11-26T15:00:00Z');

export const ctx: RenderContext = { orgLabel: 'Acme Robotics', timeZone: 'America/New_York', now: NOW };

export function line(costType: number, key: string, label: string, category: UsageCategory, amount: number): CostLine {
  return { costType, key, label, category, amount };
}

export const orgSource: UsageSource = {
  kind: 'org',
  tierName: '',
  discount: 0,
  totalWithoutDiscount: 771.6,
  totalWithDiscount: 771.6,
  lines: [
    line(6, 'binary_data_cloud_storage', 'Binary data storage', 'storage', 300),
    line(10, 'tabular_data_cloud_storage', 'Tabular data storage', 'storage', 120.1),
    line(12, 'logs_cloud_storage', 'Logs storage', 'storage', 0),
    line(4, 'standard_compute', 'Standard compute', 'compute', 210),
    line(23, 'tabular_data_database_compute', 'Recent data compute', 'compute', 55.5),
    line(15, 'binary_data_upload', 'Binary data upload', 'data_transfer', 48),
    line(18, 'binary_data_egress', 'Binary data egress', 'data_transfer', 20),
    line(3, 'remote_control', 'Remote control', 'other', 18),
    line(8, 'per_machine', 'Per machine', 'other', 0),
  ],
};

export const fragmentSource: UsageSource = {
  kind: 'fragment',
  tierName: 'Fleet Pro',
  discount: 12,
  totalWithoutDiscount: 152,
  totalWithDiscount: 140,
  lines: [
    line(8, 'per_machine', 'Per machine', 'other', 120),
    line(6, 'binary_data_cloud_storage', 'Binary data storage', 'storage', 32),
  ],
};

export const usageReport: UsageReport = {
  orgId: 'a1b2c3d4-e5f6-7890-abcd-ef1234567890',
  periodStart: new Date('2026-11-01T00:00:00Z'),
  periodEnd: new Date('2026-12-01T00:00:00Z'),
  subtotal: 911.6,
  sources: [orgSource, fragmentSource],
  fromDeprecatedFields: false,
};

export const zeroUsageReport: UsageReport = {
  ...usageReport,
  subtotal: 0,
  sources: [
    {
      ...orgSource,
      totalWithDiscount: 0,
      totalWithoutDiscount: 0,
      lines: orgSource.lines.map((l) => ({ ...l, amount: 0 })),
    },
  ],
};

export const invoices: Invoice[] = [
  {
    id: 'in_oct2026',
    date: new Date('2026-10-31T00:00:00Z'),
    amount: 312.4,
    status: 'outstanding',
    dueDate: new Date('2026-12-15T00:00:00Z'),
    paymentFailure: { reason: 'card_declined', at: new Date('2026-11-16T12:00:00Z') },
  },
  {
    id: 'in_sep2026',
    date: new Date('2026-09-30T12:00:00Z'),
    amount: 298.1,
    status: 'outstanding',
    dueDate: new Date('2026-10-15T12:00:00Z'),
  },
  {
    id: 'in_aug2026',
    date: new Date('2026-08-31T12:00:00Z'),
    amount: 250,
    status: 'payment_processing',
    dueDate: new Date('2026-09-15T12:00:00Z'),
  },
  {
    id: 'in_jul2026',
    date: new Date('2026-07-31T12:00:00Z'),
    amount: 1234.5,
    status: 'paid',
    dueDate: new Date('2026-08-15T12:00:00Z'),
    paidDate: new Date('2026-08-10T12:00:00Z'),
  },
  { id: 'in_jun2026', date: new Date('2026-06-30T12:00:00Z'), amount: 0, status: 'free' },
  { id: 'in_may2026', date: new Date('2026-05-31T12:00:00Z'), amount: 10, status: 'partially_refunded' },
];

export const invoicesSummary: InvoicesSummary = { outstandingBalance: 610.5, invoices };

export function manyInvoices(count: number): InvoicesSummary {
  const list: Invoice[] = Array.from({ length: count }, (_, index) => ({
    id: `in_${String(index).padStart(5, '0')}`,
    date: new Date(Date.UTC(2026, 10 - index, 1)),
    amount: 100 + index,
    status: 'paid',
    paidDate: new Date(Date.UTC(2026, 10 - index, 10)),
  }));
  return { outstandingBalance: 0, invoices: list };
}

/** `count` distinct priced lines spread over the four categories. */
export function manyLinesReport(count: number): UsageReport {
  const categories: UsageCategory[] = ['storage', 'compute', 'data_transfer', 'other'];
  const lines = Array.from({ length: count }, (_, index) =>
    line(
      100 + index,
      `line_${index}`,
      `Line item number ${index}`,
      categories[index % 4] as UsageCategory,
      1 + index / 100,
    ),
  );
  const total = lines.reduce((sum, each) => sum + each.amount, 0);
  return {
    ...usageReport,
    subtotal: total,
    sources: [{ kind: 'org', tierName: '', discount: 0, totalWithDiscount: total, totalWithoutDiscount: total, lines }],
  };
}

export const cardBilling: BillingInfo = {
  billingEmail: 'billing@acme.example',
  paymentMethod: { kind: 'card', brand: 'visa', lastFour: '4242' },
  tier: 'Enterprise',
};

export const unverifiedBankBilling: BillingInfo = {
  billingEmail: 'ap@acme.example',
  paymentMethod: {
    kind: 'bank_account',
    bankName: 'First Robotics Bank',
    lastFour: '6789',
    accountType: 'checking',
    verificationUrl: 'https://payments.example.com/verify?account=ba_123&token=abc',
  },
};

export const noPaymentMethodBilling: BillingInfo = { billingEmail: '', paymentMethod: { kind: 'none' } };

/** Labels and tier names as hostile as Slack's markup allows. */
export const LONG_NASTY = `<Acme & Sons> ${'Very long name & more <stuff> '.repeat(12)}end`;

export const orgs: ConnectedOrgRow[] = [
  {
    label: 'acme',
    orgId: 'a1b2c3d4-e5f6-7890-abcd-ef1234567890',
    apiKeyId: '0f9e8d7c-6b5a-4321-9876-fedcba981a2b',
    isDefault: true,
    connectedBy: 'U012ABCDEF',
    connectedAt: new Date('2026-11-02T15:30:00Z'),
  },
  {
    label: 'acme-labs',
    orgId: 'b2c3d4e5-f6a7-8901-bcde-f12345678901',
    apiKeyId: '11112222-3333-4444-5555-66667777c3d4',
    isDefault: false,
  },
];

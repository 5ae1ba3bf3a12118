/**
 * Domain types for a Viam organization's billing. These are the only billing shapes that
 * cross folders: handlers, blocks, the store and the CLI never see generated messages.
 */

/** The four groups Viam's billing page uses for its usage breakdown. */
export type UsageCategory = 'storage' | 'compute' | 'data_transfer' | 'other';

export const USAGE_CATEGORIES: readonly UsageCategory[] = ['storage', 'compute', 'data_transfer', 'other'];

export const CATEGORY_LABELS: Readonly<Record<UsageCategory, string>> = {
  storage: 'Storage',
  compute: 'Compute',
  data_transfer: 'Data transfer',
  other: 'Other',
};

/** One priced line of the month's usage, such as "Binary data storage: $12.40". */
export interface CostLine {
  /** Viam's UsageCostType number; numbers this build does not know are kept as they came. */
  costType: number;
  /** Stable machine name, e.g. `binary_data_cloud_storage`, or `unknown_42` for an unknown type. */
  key: string;
  /** Human label, e.g. "Binary data storage", or "Other charges (type 42)". */
  label: string;
  category: UsageCategory;
  /** US dollars. */
  amount: number;
}

export type UsageSourceKind = 'org' | 'fragment' | 'unspecified';

/** Costs billed through one source: the org itself or a fragment's (white-labeled) billing tier. */
export interface UsageSource {
  kind: UsageSourceKind;
  /** Empty for the org's own usage; the fragment's tier name otherwise. */
  tierName: string;
  discount: number;
  totalWithDiscount: number;
  totalWithoutDiscount: number;
  lines: CostLine[];
}

export interface UsageReport {
  orgId: string;
  periodStart: Date;
  periodEnd: Date;
  /** Month-to-date total in US dollars, as Viam reports it. */
  subtotal: number;
  sources: UsageSource[];
  /** True when Viam sent no per-source breakdown and the deprecated flat fields were used. */
  fromDeprecatedFields: boolean;
}

/** Viam's invoice status is a free string; these are the values known today. Others are kept. */
export type KnownInvoiceStatus = 'paid' | 'outstanding' | 'payment_processing' | 'overdue' | 'free';

export interface PaymentFailure {
  /** Viam's code, e.g. `card_declined`; unknown codes are kept as they came. */
  reason: string;
  at?: Date;
}

export interface Invoice {
  id: string;
  date?: Date;
  amount: number;
  status: string;
  dueDate?: Date;
  paidDate?: Date;
  paymentFailure?: PaymentFailure;
}

export interface InvoicesSummary {
  outstandingBalance: number;
  /** Newest first. */
  invoices: Invoice[];
}

export type PaymentMethod =
  | { kind: 'card'; brand: string; lastFour: string }
  | {
      kind: 'bank_account';
      bankName: string;
      lastFour: string;
      accountType: string;
      /** Present while the account still needs verification. */
      verificationUrl?: string;
    }
  | { kind: 'none' };

export interface BillingInfo {
  billingEmail: string;
  paymentMethod: PaymentMethod;
  /** Only returned by Viam to billing-dashboard admins; usually absent. */
  tier?: string;
}

/** The credentials of one Viam organization API key. */
export interface ViamApiKey {
  id: string;
  key: string;
}

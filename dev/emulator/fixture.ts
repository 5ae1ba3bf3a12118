import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { COST_TYPE_NAMES } from './cost-types';

/**
 * The emulator's seed data. Dates are stored relative to the emulator's clock (months ago, days
 * after the invoice) so the same file reads as "last month's invoice" whenever it is loaded.
 * Totals are not stored: they are computed from the lines, so they can never disagree.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STRIPE_INVOICE_ID = /^in_[A-Za-z0-9]{8,}$/;

const uuid = z.string().regex(UUID, 'must be a lowercase UUID');
/** Money in US dollars with at most two decimals, so sums in cents are exact. */
const dollars = z
  .number()
  .nonnegative()
  .refine((value) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-6, 'must have at most two decimals');
const text = z.string().min(1);

const costSchema = z.object({
  type: z.enum(COST_TYPE_NAMES as [string, ...string[]]),
  cost: dollars,
});

const usageSourceSchema = z.object({
  source: z.enum(['org', 'fragment']),
  /** Empty for the org's own usage; the fragment's billing tier name otherwise. */
  tierName: z.string(),
  discount: dollars,
  costs: z.array(costSchema),
});

const paymentMethodSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('card'), brand: text, lastFour: z.string().regex(/^\d{4}$/) }),
  z.object({
    type: z.literal('us_bank_account'),
    bankName: text,
    lastFour: z.string().regex(/^\d{4}$/),
    routingNumber: z.string().regex(/^\d{9}$/),
    accountType: text,
    /** Present while the account still waits for micro-deposit verification. */
    verification: z.object({ arrivalInDays: z.int(), hostedVerificationPageUrl: z.url() }).optional(),
  }),
  z.object({ type: z.literal('none') }),
]);

const invoiceSchema = z.object({
  id: z.string().regex(STRIPE_INVOICE_ID, 'must look like a Stripe invoice id (in_...)'),
  /** 1 = the invoice for last month, issued on the 1st of this month. */
  monthsAgo: z.int().min(1).max(120),
  amount: dollars,
  /** Viam's status is an open set of strings; `paid` needs paidAfterDays. */
  status: text,
  paidAfterDays: z.int().min(0).optional(),
  paymentFailure: z.object({ reason: text, hoursAfterInvoice: z.int().min(0) }).optional(),
});

const orgSchema = z.object({
  orgId: uuid,
  name: text,
  apiKeys: z.array(z.object({ id: uuid, key: z.string().min(8) })).min(1),
  billing: z.object({ email: z.email(), paymentMethod: paymentMethodSchema, tier: text.optional() }),
  usage: z.array(usageSourceSchema),
  paymentTermsDays: z.int().min(0),
  invoices: z.array(invoiceSchema),
});

const fixtureSchema = z.object({ orgs: z.array(orgSchema).min(1) }).superRefine((fixture, ctx) => {
  const seen = new Map<string, string>();
  const unique = (kind: string, value: string, at: (string | number)[]) => {
    const key = `${kind}:${value}`;
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: at, message: `duplicate ${kind} ${value}` });
    seen.set(key, value);
  };
  fixture.orgs.forEach((org, o) => {
    unique('org id', org.orgId, ['orgs', o, 'orgId']);
    org.apiKeys.forEach((key, k) => {
      unique('API key id', key.id, ['orgs', o, 'apiKeys', k, 'id']);
    });
    org.usage.forEach((source, s) => {
      const totalCents = source.costs.reduce((sum, line) => sum + Math.round(line.cost * 100), 0);
      if (Math.round(source.discount * 100) > totalCents) {
        ctx.addIssue({ code: 'custom', path: ['orgs', o, 'usage', s, 'discount'], message: 'exceeds the lines' });
      }
    });
    org.invoices.forEach((invoice, i) => {
      const at = ['orgs', o, 'invoices', i];
      unique('invoice id', invoice.id, [...at, 'id']);
      unique(`invoice month of org ${org.orgId}`, String(invoice.monthsAgo), [...at, 'monthsAgo']);
      if ((invoice.status === 'paid') !== (invoice.paidAfterDays !== undefined)) {
        ctx.addIssue({ code: 'custom', path: at, message: 'paidAfterDays is required for paid invoices only' });
      }
    });
  });
});

export type EmulatorFixture = z.infer<typeof fixtureSchema>;
export type FixtureOrg = EmulatorFixture['orgs'][number];
export type FixtureUsageSource = FixtureOrg['usage'][number];
export type FixtureInvoice = FixtureOrg['invoices'][number];
export type FixturePaymentMethod = FixtureOrg['billing']['paymentMethod'];

export class FixtureError extends Error {
  override readonly name = 'FixtureError';
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`invalid emulator fixture ${source}: ${problems.join('; ')}`);
  }
}

/** Validates parsed JSON (or a built object) and returns it typed; throws FixtureError listing every problem. */
export function parseFixture(value: unknown, source = '(in memory)'): EmulatorFixture {
  const result = fixtureSchema.safeParse(value);
  if (result.success) return result.data;
  throw new FixtureError(
    source,
    result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
  );
}

export const DEFAULT_FIXTURE_PATH = path.join(__dirname, 'fixtures', 'default.json');

export function loadFixture(file: string = DEFAULT_FIXTURE_PATH): EmulatorFixture {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new FixtureError(file, [error instanceof Error ? error.message : String(error)]);
  }
  return parseFixture(json, file);
}

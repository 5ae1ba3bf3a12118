import { COST_TYPE_NAMES } from './cost-types';
import type { EmulatorFixture, FixtureInvoice, FixtureOrg, FixturePaymentMethod, FixtureUsageSource } from './fixture';
import { type SeededRandom, seededRandom } from './random';

/**
 * Generates any number of varied, valid orgs from a seed, for benchmarks and load tests that need
 * thousands of orgs. The same options always give the same fixture.
 */

export interface BuildFixtureOptions {
  orgCount: number;
  /** Default 1. */
  seed?: number;
  /** Monthly invoices per org, newest 1 month ago. Default 12. */
  invoiceMonths?: number;
}

const NAME_PARTS = [
  ['Acme', 'Northwind', 'Bluefin', 'Copperleaf', 'Granite', 'Helix', 'Juniper', 'Kestrel', 'Lumen', 'Meridian'],
  ['Robotics', 'Automation', 'Farms', 'Logistics', 'Labs', 'Machines', 'Dynamics', 'Systems', 'Works', 'Fleet'],
] as const;
const CARD_BRANDS = ['visa', 'mastercard', 'amex', 'discover'] as const;
const TIER_NAMES = ['Fleet Monitoring Basic', 'Greenhouse Pro', 'Warehouse Plus', 'Inspection Starter'] as const;
const FAILURE_REASONS = ['card_declined', 'insufficient_funds', 'expired_card', 'processing_error'] as const;

const money = (random: SeededRandom, min: number, max: number): number =>
  random.int(Math.round(min * 100), Math.round(max * 100)) / 100;

function costs(random: SeededRandom, count: number): FixtureUsageSource['costs'] {
  const types = [...COST_TYPE_NAMES];
  const picked: FixtureUsageSource['costs'] = [];
  for (let i = 0; i < count && types.length > 0; i++) {
    const [type] = types.splice(random.int(0, types.length - 1), 1);
    if (type) picked.push({ type, cost: money(random, 0.05, 120) });
  }
  return picked;
}

function usageSource(random: SeededRandom, source: 'org' | 'fragment', tierName: string): FixtureUsageSource {
  const lines = costs(random, source === 'org' ? random.int(6, 16) : random.int(1, 4));
  const totalCents = lines.reduce((sum, line) => sum + Math.round(line.cost * 100), 0);
  const discount = Math.min(totalCents, random.pick([0, 500, 1000, 2500])) / 100;
  return { source, tierName, discount, costs: lines };
}

function paymentMethod(random: SeededRandom, index: number): FixturePaymentMethod {
  const lastFour = String(random.int(0, 9999)).padStart(4, '0');
  switch (index % 3) {
    case 0:
      return { type: 'card', brand: random.pick(CARD_BRANDS), lastFour };
    case 1:
      return {
        type: 'us_bank_account',
        bankName: 'DEMO NATIONAL BANK',
        lastFour,
        routingNumber: '110000000',
        accountType: random.pick(['checking', 'savings']),
        ...(random.next() < 0.5
          ? {
              verification: {
                arrivalInDays: random.int(1, 3),
                hostedVerificationPageUrl: `https://verify.emulator.invalid/microdeposits/org-${index + 1}`,
              },
            }
          : {}),
      };
    default:
      return { type: 'none' };
  }
}

function invoices(random: SeededRandom, months: number): FixtureInvoice[] {
  const list: FixtureInvoice[] = [];
  for (let monthsAgo = 1; monthsAgo <= months; monthsAgo++) {
    const id = random.stripeInvoiceId();
    const amount = money(random, 10, 900);
    const latest = monthsAgo === 1;
    const status = latest
      ? 'outstanding'
      : monthsAgo === 2
        ? random.pick(['paid', 'payment_processing', 'overdue'])
        : 'paid';
    const invoice: FixtureInvoice = { id, monthsAgo, amount, status };
    if (status === 'paid') invoice.paidAfterDays = random.int(0, 5);
    if (latest && random.next() < 0.25) {
      invoice.paymentFailure = { reason: random.pick(FAILURE_REASONS), hoursAfterInvoice: random.int(0, 48) };
    }
    list.push(invoice);
  }
  return list;
}

function buildOrg(random: SeededRandom, index: number, invoiceMonths: number): FixtureOrg {
  const number = String(index + 1).padStart(4, '0');
  const usage = [usageSource(random, 'org', '')];
  if (random.next() < 0.35) usage.push(usageSource(random, 'fragment', random.pick(TIER_NAMES)));
  const tier = index % 5 === 1 ? { tier: 'Growth' } : {};
  return {
    orgId: random.uuid(),
    name: `${random.pick(NAME_PARTS[0])} ${random.pick(NAME_PARTS[1])} ${number}`,
    apiKeys: [{ id: random.uuid(), key: `demo-bench-key-${number}-not-a-real-secret` }],
    billing: { email: `billing+org${number}@bench.example`, paymentMethod: paymentMethod(random, index), ...tier },
    usage,
    paymentTermsDays: random.pick([15, 30]),
    invoices: invoices(random, invoiceMonths),
  };
}

export function buildFixture(options: BuildFixtureOptions): EmulatorFixture {
  if (!Number.isInteger(options.orgCount) || options.orgCount < 1) throw new RangeError('orgCount must be >= 1');
  const random = seededRandom(options.seed ?? 1);
  const orgs: FixtureOrg[] = [];
  for (let i = 0; i < options.orgCount; i++) orgs.push(buildOrg(random, i, options.invoiceMonths ?? 12));
  return { orgs };
}

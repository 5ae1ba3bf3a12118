import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FixtureError, loadFixture, parseFixture } from '../../../dev/emulator/fixture';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function problemsOf(value: unknown): string[] {
  try {
    parseFixture(value);
  } catch (error) {
    if (error instanceof FixtureError) return error.problems;
    throw error;
  }
  throw new Error('expected a FixtureError');
}

describe('the default fixture', () => {
  const fixture = loadFixture();

  it('has at least two orgs, each with its own API keys, UUID ids and obviously fake secrets', () => {
    expect(fixture.orgs.length).toBeGreaterThanOrEqual(2);
    for (const org of fixture.orgs) {
      expect(org.orgId).toMatch(UUID);
      expect(org.apiKeys.length).toBeGreaterThanOrEqual(1);
      for (const key of org.apiKeys) {
        expect(key.id).toMatch(UUID);
        expect(key.key).toMatch(/^demo-.*not-a-real-secret$/);
      }
    }
  });

  it('covers the cases the app must render', () => {
    const [main, second] = fixture.orgs;
    expect(main?.billing.paymentMethod).toMatchObject({ type: 'card', brand: expect.any(String) });
    expect(second?.billing.paymentMethod).toMatchObject({ type: 'us_bank_account', verification: expect.any(Object) });
    expect(fixture.orgs.filter((org) => org.billing.tier !== undefined)).toHaveLength(1);
    expect(main?.usage.map((source) => source.source)).toEqual(['org', 'fragment']);
    expect(main?.usage[1]).toMatchObject({ tierName: expect.stringMatching(/\S/), discount: expect.any(Number) });
    expect(main?.invoices).toHaveLength(12);
    const statuses = main?.invoices.map((invoice) => invoice.status);
    expect(statuses).toContain('payment_processing');
    expect(main?.invoices.find((invoice) => invoice.monthsAgo === 1)?.status).toMatch(/^(outstanding|overdue)$/);
    expect(main?.invoices.some((invoice) => invoice.paymentFailure?.reason === 'card_declined')).toBe(true);
  });
});

describe('parseFixture', () => {
  const org = () => structuredClone(loadFixture().orgs[0]);

  it('lists every problem with its path', () => {
    const broken = org();
    if (!broken) throw new Error('no org');
    broken.orgId = 'not-a-uuid';
    (broken.usage[0]?.costs[0] as { type: string }).type = 'TELEPORTATION';
    (broken.invoices[0] as { amount: number }).amount = 1.234;
    expect(problemsOf({ orgs: [broken] })).toEqual([
      'orgs.0.orgId: must be a lowercase UUID',
      expect.stringMatching(/^orgs\.0\.usage\.0\.costs\.0\.type: /),
      'orgs.0.invoices.0.amount: must have at most two decimals',
    ]);
  });

  it('refuses duplicate ids, discounts above the lines and paid invoices without a paid date', () => {
    const first = org();
    const copy = org();
    if (!first || !copy || !first.usage[1] || !first.invoices[2]) throw new Error('fixture shape changed');
    first.usage[1].discount = 1_000;
    delete first.invoices[2].paidAfterDays;
    expect(problemsOf({ orgs: [first, copy] })).toEqual(
      expect.arrayContaining([
        'orgs.0.usage.1.discount: exceeds the lines',
        'orgs.0.invoices.2: paidAfterDays is required for paid invoices only',
        `orgs.1.orgId: duplicate org id ${copy.orgId}`,
        `orgs.1.apiKeys.0.id: duplicate API key id ${copy.apiKeys[0]?.id}`,
        expect.stringMatching(/^orgs\.1\.invoices\.0\.id: duplicate invoice id in_1Q/),
      ]),
    );
    expect(problemsOf({ orgs: [] })).toEqual([expect.stringMatching(/^orgs: /)]);
  });

  it('reports unreadable files with their path', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'emulator-fixture-'));
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, '{ not json');
    expect(() => loadFixture(file)).toThrow(`invalid emulator fixture ${file}`);
  });
});

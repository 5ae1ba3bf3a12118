/** One org's Viam reads for the Home tab, against the emulator over real gRPC. */
import { homeBillingCache, isComplete, orgBillingCacheKey, readOrgBilling } from '../../src/home/org-billing';
import { type Harness, startHarness } from '../billing/harness';
import { status } from '../support/stack';

const NOW = new Date('2026-11-26T15:00:00Z');

describe('readOrgBilling', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ emulator: { now: () => NOW } });
  });
  afterAll(async () => {
    await harness.stop();
  });
  beforeEach(() => {
    harness.emulator.knobs.reset();
  });

  it('reads the month’s usage and the invoices together, stamped with when', async () => {
    const read = await readOrgBilling(harness.client, harness.key, harness.orgId, harness.logs.logger, () => NOW);
    expect(read.fetchedAt).toEqual(NOW);
    expect(read.usage).toMatchObject({ orgId: harness.orgId, subtotal: 290.23 });
    expect(read.invoices).toMatchObject({ outstandingBalance: 519.65 });
    expect(isComplete(read)).toBe(true);
  });

  it('puts a user-safe sentence in place of a read that failed, and keeps the other', async () => {
    harness.emulator.knobs.failNext('GetInvoicesSummary', 5, status.UNAVAILABLE);
    const read = await readOrgBilling(harness.client, harness.key, harness.orgId, harness.logs.logger, () => NOW);
    expect(read.usage).toMatchObject({ subtotal: 290.23 });
    expect(read.invoices).toEqual({ error: expect.stringMatching(/Viam.*\./) });
    expect(isComplete(read)).toBe(false);
    expect(harness.logs.text()).toContain('part of the Home tab could not be loaded');
  });
});

describe('the Home tab’s cache', () => {
  it('is one per app, and keyed by workspace, org and key', () => {
    const now = () => NOW;
    const first = {};
    expect(homeBillingCache(first, now)).toBe(homeBillingCache(first, now));
    expect(homeBillingCache({}, now)).not.toBe(homeBillingCache(first, now));
    const org = { orgId: 'o-1', apiKeyId: 'k-1' };
    const key = orgBillingCacheKey({ teamId: 'T1' }, org);
    expect(orgBillingCacheKey({ teamId: 'T2' }, org)).not.toBe(key);
    expect(orgBillingCacheKey({ teamId: 'T1', enterpriseId: 'E1' }, org)).not.toBe(key);
    expect(orgBillingCacheKey({ teamId: 'T1' }, { ...org, apiKeyId: 'k-2' })).not.toBe(key);
  });
});

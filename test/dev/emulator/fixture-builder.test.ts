import { startEmulator } from '../../../dev/emulator';
import { parseFixture } from '../../../dev/emulator/fixture';
import { buildFixture } from '../../../dev/emulator/fixture-builder';
import { authenticate, bearer, call, connect } from './grpc-clients';

describe('buildFixture', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(buildFixture({ orgCount: 5, seed: 7 })).toEqual(buildFixture({ orgCount: 5, seed: 7 }));
    expect(buildFixture({ orgCount: 5, seed: 7 })).not.toEqual(buildFixture({ orgCount: 5, seed: 8 }));
  });

  it('builds thousands of valid orgs with unique ids and a year of invoices each', () => {
    const fixture = buildFixture({ orgCount: 2000 });
    expect(() => parseFixture(fixture)).not.toThrow();
    expect(fixture.orgs).toHaveLength(2000);
    expect(new Set(fixture.orgs.map((org) => org.orgId)).size).toBe(2000);
    const invoiceIds = fixture.orgs.flatMap((org) => org.invoices.map((invoice) => invoice.id));
    expect(invoiceIds).toHaveLength(24_000);
    expect(new Set(invoiceIds).size).toBe(24_000);
    const methods = new Set(fixture.orgs.map((org) => org.billing.paymentMethod.type));
    expect(methods).toEqual(new Set(['card', 'us_bank_account', 'none']));
    expect(fixture.orgs.some((org) => org.usage.some((source) => source.source === 'fragment'))).toBe(true);
  });

  it('takes the number of invoice months', () => {
    expect(buildFixture({ orgCount: 1, invoiceMonths: 3 }).orgs[0]?.invoices.map((i) => i.monthsAgo)).toEqual([
      1, 2, 3,
    ]);
    expect(() => buildFixture({ orgCount: 0 })).toThrow(RangeError);
  });

  it('serves a built fixture: any generated key reads its own org', async () => {
    const emulator = await startEmulator({ fixture: buildFixture({ orgCount: 300, seed: 3 }) });
    const clients = connect(emulator);
    try {
      expect(emulator.orgs).toHaveLength(300);
      const org = emulator.orgs[299];
      if (!org) throw new Error('missing org');
      const token = await authenticate(clients, org);
      const summary = await call(
        clients.billing,
        clients.billing.getInvoicesSummary,
        { orgId: org.orgId },
        bearer(token),
      );
      expect(summary.invoices).toHaveLength(12);
    } finally {
      clients.close();
      await emulator.stop();
    }
  });
});

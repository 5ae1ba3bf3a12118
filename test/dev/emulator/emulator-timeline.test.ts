import { type RunningEmulator, startEmulator } from '../../../dev/emulator';
import { loadFixture } from '../../../dev/emulator/fixture';
import { usageResponse } from '../../../dev/emulator/org-data';
import { authenticate, bearer, type Clients, call, connect, demoOrg, downloadPdf } from './grpc-clients';

/** The usage timeline through the wire: what the app reads is what the timeline says, as the clock moves. */

const ANCHOR = new Date('2026-11-26T15:00:00Z');

describe('an emulator started with a usage timeline', () => {
  let clock = ANCHOR;
  let emulator: RunningEmulator;
  let clients: Clients;
  let token: string;

  beforeAll(async () => {
    emulator = await startEmulator({
      now: () => clock,
      usageTimeline: { anchor: ANCHOR, spike: { costType: 'STANDARD_COMPUTE', day: ANCHOR, extraUsd: 48 } },
    });
    clients = connect(emulator);
    token = await authenticate(clients, demoOrg(emulator));
  });

  afterAll(async () => {
    clients.close();
    await emulator.stop();
  });

  const usageAt = (at: Date) => {
    clock = at;
    return call(
      clients.billing,
      clients.billing.getCurrentMonthUsage,
      { orgId: demoOrg(emulator).orgId },
      bearer(token),
    );
  };

  it('answers with the fixture’s figures at the anchor', async () => {
    const [acme] = loadFixture().orgs;
    if (!acme) throw new Error('no org in the fixture');
    expect(await usageAt(ANCHOR)).toEqual(usageResponse(acme, ANCHOR));
  });

  it('answers with less earlier in the month, and with last month’s figures in last month', async () => {
    const anchor = await usageAt(ANCHOR);
    const weekEarlier = await usageAt(new Date('2026-11-19T15:00:00Z'));
    const lastMonth = await usageAt(new Date('2026-10-26T15:00:00Z'));
    expect(weekEarlier.subtotal).toBeGreaterThan(0);
    expect(weekEarlier.subtotal).toBeLessThan(anchor.subtotal);
    expect(lastMonth.startDate).toEqual(new Date('2026-10-01T00:00:00Z'));
    expect(lastMonth.subtotal).toBeGreaterThan(0);
    expect(lastMonth.subtotal).toBeLessThan(anchor.subtotal);
  });

  it('still serves invoice PDFs, even in a month’s first hour when nothing is metered yet', async () => {
    clock = new Date('2026-11-01T00:30:00Z');
    expect((await usageAt(clock)).subtotal).toBe(0);
    const { invoices } = await call(
      clients.billing,
      clients.billing.getInvoicesSummary,
      { orgId: demoOrg(emulator).orgId },
      bearer(token),
    );
    const id = invoices[0]?.id ?? '';
    const { chunks, error } = await downloadPdf(clients, { orgId: demoOrg(emulator).orgId, id }, bearer(token));
    expect(error).toBeUndefined();
    expect(Buffer.concat(chunks).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});

describe('an emulator started without one', () => {
  it('answers with the fixture’s figures whatever the date', async () => {
    let clock = new Date('2026-11-02T01:00:00Z');
    const emulator = await startEmulator({ now: () => clock });
    const clients = connect(emulator);
    try {
      const token = await authenticate(clients, demoOrg(emulator));
      const ask = () =>
        call(clients.billing, clients.billing.getCurrentMonthUsage, { orgId: demoOrg(emulator).orgId }, bearer(token));
      const early = await ask();
      clock = new Date('2026-11-29T23:00:00Z');
      const late = await ask();
      expect(late.subtotal).toBe(early.subtotal);
      expect(late.subtotal).toBe(290.23);
    } finally {
      clients.close();
      await emulator.stop();
    }
  });
});

import type { CostLine, Invoice, InvoicesSummary, UsageCategory, UsageReport } from '../../src/billing/model';
import { composeDigest } from '../../src/digest/compose';
import { comparisonSnapshot, snapshotOf, type UsageSnapshot, withSnapshot } from '../../src/digest/snapshots';

const line = (key: string, category: UsageCategory, amount: number, label = key): CostLine => ({
  costType: 1,
  key,
  label,
  category,
  amount,
});

/** A usage report for the UTC month holding `month`, Viam-style (end = last millisecond of the month). */
function report(month: string, lines: CostLine[], fragmentLines: CostLine[] = []): UsageReport {
  const start = new Date(`${month}-01T00:00:00Z`);
  const next = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  const total = (items: CostLine[]) => Math.round(items.reduce((sum, item) => sum + item.amount, 0) * 100) / 100;
  return {
    orgId: 'org-1',
    periodStart: start,
    periodEnd: new Date(next.getTime() - 1),
    subtotal: total([...lines, ...fragmentLines]),
    sources: [
      {
        kind: 'org',
        tierName: '',
        discount: 0,
        totalWithDiscount: total(lines),
        totalWithoutDiscount: total(lines),
        lines,
      },
      ...(fragmentLines.length > 0
        ? [
            {
              kind: 'fragment' as const,
              tierName: 'Fleet',
              discount: 0,
              totalWithDiscount: total(fragmentLines),
              totalWithoutDiscount: total(fragmentLines),
              lines: fragmentLines,
            },
          ]
        : []),
    ],
    fromDeprecatedFields: false,
  };
}

const noInvoices: InvoicesSummary = { outstandingBalance: 0, invoices: [] };

describe('composeDigest', () => {
  const now = new Date('2026-11-16T00:00:00Z');
  const current = report('2026-11', [
    line('binary_data_cloud_storage', 'storage', 60, 'Binary data storage'),
    line('standard_compute', 'compute', 30, 'Standard compute'),
    line('binary_data_egress', 'data_transfer', 10, 'Binary data egress'),
  ]);

  it('the first digest ever has no change, only the numbers', () => {
    const data = composeDigest({ usage: current, invoices: noInvoices, now });
    expect(data.comparison).toEqual({ kind: 'none' });
    expect(data.monthToDate).toBe(100);
    expect(data.discount).toBe(0);
    expect(data.topCategories).toEqual([
      { key: 'storage', label: 'Storage', amount: 60 },
      { key: 'compute', label: 'Compute', amount: 30 },
      { key: 'data_transfer', label: 'Data transfer', amount: 10 },
    ]);
    expect(data.topLines.every((item) => item.change === undefined)).toBe(true);
  });

  it('compares with a snapshot of the same billing period: total, categories and lines', () => {
    const lastWeek = report('2026-11', [
      line('binary_data_cloud_storage', 'storage', 40),
      line('standard_compute', 'compute', 30),
    ]);
    const previous = snapshotOf(lastWeek, new Date('2026-11-09T00:00:00Z'), 'digest');
    const data = composeDigest({ usage: current, invoices: noInvoices, previous, now });

    expect(data.comparison).toEqual({
      kind: 'change',
      since: new Date('2026-11-09T00:00:00Z'),
      previousSubtotal: 70,
      change: { amount: 30, fraction: 30 / 70 },
    });
    expect(data.topCategories).toEqual([
      { key: 'storage', label: 'Storage', amount: 60, change: { amount: 20, fraction: 0.5 } },
      { key: 'compute', label: 'Compute', amount: 30, change: { amount: 0, fraction: 0 } },
      // Nothing last week: the change has no percentage.
      { key: 'data_transfer', label: 'Data transfer', amount: 10, change: { amount: 10 } },
    ]);
    expect(data.topLines.find((item) => item.key === 'binary_data_egress')?.change).toEqual({ amount: 10 });
  });

  it('the first digest of a new billing period shows no change against the last period', () => {
    const november = report('2026-11', [line('binary_data_cloud_storage', 'storage', 950)]);
    const previous = snapshotOf(november, new Date('2026-11-30T08:00:00Z'), 'digest');
    const december = report('2026-12', [line('binary_data_cloud_storage', 'storage', 120)]);
    const data = composeDigest({
      usage: december,
      invoices: noInvoices,
      previous,
      now: new Date('2026-12-07T08:00:00Z'),
    });
    expect(data.comparison).toEqual({ kind: 'new-period' });
    expect(data.topCategories[0]).toEqual({ key: 'storage', label: 'Storage', amount: 120 });
    expect(data.topLines[0]?.change).toBeUndefined();
  });

  it('keeps week-over-week numbers right across a month boundary', () => {
    const weeks: Array<[string, UsageReport]> = [
      ['2026-11-23T08:00:00Z', report('2026-11', [line('standard_compute', 'compute', 700)])],
      ['2026-11-30T08:00:00Z', report('2026-11', [line('standard_compute', 'compute', 910)])],
      ['2026-12-07T08:00:00Z', report('2026-12', [line('standard_compute', 'compute', 150)])],
      ['2026-12-14T08:00:00Z', report('2026-12', [line('standard_compute', 'compute', 345)])],
    ];
    let history: UsageSnapshot[] = [];
    const comparisons = weeks.map(([at, usage]) => {
      const now = new Date(at);
      const data = composeDigest({ usage, invoices: noInvoices, previous: comparisonSnapshot(history, now), now });
      history = withSnapshot(history, snapshotOf(usage, now, 'digest'));
      return data.comparison;
    });
    expect(comparisons).toEqual([
      { kind: 'none' },
      {
        kind: 'change',
        since: new Date('2026-11-23T08:00:00Z'),
        previousSubtotal: 700,
        change: { amount: 210, fraction: 0.3 },
      },
      { kind: 'new-period' },
      {
        kind: 'change',
        since: new Date('2026-12-07T08:00:00Z'),
        previousSubtotal: 150,
        change: { amount: 195, fraction: 1.3 },
      },
    ]);
  });

  describe('projection', () => {
    it('is linear on the elapsed share of the period, whichever way Viam sends the end', () => {
      // Half of November (15 of 30 days) gone, $100 spent: $200 by the end.
      expect(composeDigest({ usage: current, invoices: noInvoices, now }).projection).toEqual({
        total: 200,
        elapsedFraction: 0.5,
      });
      const exclusiveEnd = { ...current, periodEnd: new Date('2026-12-01T00:00:00Z') };
      expect(composeDigest({ usage: exclusiveEnd, invoices: noInvoices, now }).projection?.total).toBe(200);
    });

    it('is left out in the first day of the period, where it would only multiply noise', () => {
      const early = new Date('2026-11-01T20:00:00Z');
      expect(composeDigest({ usage: current, invoices: noInvoices, now: early }).projection).toBeUndefined();
      const later = new Date('2026-11-02T00:00:00Z');
      expect(composeDigest({ usage: current, invoices: noInvoices, now: later }).projection?.total).toBe(3000);
    });

    it('is the month-to-date total once the period is over', () => {
      const after = new Date('2026-12-01T03:00:00Z');
      expect(composeDigest({ usage: current, invoices: noInvoices, now: after }).projection).toEqual({
        total: 100,
        elapsedFraction: 1,
      });
    });

    it('stands against the budget when there is one', () => {
      const data = composeDigest({ usage: current, invoices: noInvoices, now, budget: 150 });
      expect(data.projection?.budget).toEqual({ amount: 150, spentFraction: 100 / 150, projectedFraction: 200 / 150 });
      expect(
        composeDigest({ usage: current, invoices: noInvoices, now, budget: 0 }).projection?.budget,
      ).toBeUndefined();
    });
  });

  it('adds up the same cost line across sources and keeps the top five, biggest first', () => {
    const usage = report(
      '2026-11',
      [
        line('a', 'storage', 5),
        line('b', 'compute', 50),
        line('c', 'compute', 1),
        line('d', 'other', 2),
        line('e', 'other', 3),
        line('f', 'other', 0),
        line('g', 'other', 4),
      ],
      [line('a', 'storage', 46)],
    );
    const data = composeDigest({ usage, invoices: noInvoices, now });
    expect(data.topLines.map(({ key, amount }) => [key, amount])).toEqual([
      ['a', 51],
      ['b', 50],
      ['g', 4],
      ['e', 3],
      ['d', 2],
    ]);
  });

  it('names overdue and failed-payment invoices, and only those', () => {
    const invoices: Invoice[] = [
      {
        id: 'in_failed',
        amount: 312.4,
        status: 'outstanding',
        dueDate: new Date('2026-12-15T00:00:00Z'),
        paymentFailure: { reason: 'card_declined' },
      },
      { id: 'in_late', amount: 298.1, status: 'outstanding', dueDate: new Date('2026-11-10T00:00:00Z') },
      { id: 'in_marked', amount: 120, status: 'overdue' },
      { id: 'in_paid', amount: 80, status: 'paid', paymentFailure: { reason: 'card_declined' } },
      { id: 'in_open', amount: 50, status: 'outstanding', dueDate: new Date('2026-12-30T00:00:00Z') },
    ];
    const data = composeDigest({ usage: current, invoices: { outstandingBalance: 780.5, invoices }, now });
    expect(data.outstandingBalance).toBe(780.5);
    expect(data.attention).toEqual([
      {
        id: 'in_failed',
        amount: 312.4,
        dueDate: new Date('2026-12-15T00:00:00Z'),
        overdue: false,
        paymentFailure: 'card_declined',
      },
      { id: 'in_late', amount: 298.1, dueDate: new Date('2026-11-10T00:00:00Z'), overdue: true },
      { id: 'in_marked', amount: 120, overdue: true },
    ]);
  });
});

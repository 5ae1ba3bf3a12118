import { renderCompare } from '../../src/blocks/compare';
import { invoiceTrend } from '../../src/trends/invoice-trend';
import type { MonthOverMonth } from '../../src/trends/month-over-month';
import { ctx, invoicesSummary, LONG_NASTY } from './fixtures';
import { blockText, expectValid } from './helpers';

const mom: MonthOverMonth = {
  current: 300,
  previous: 220,
  change: { amount: 80, fraction: 80 / 220 },
  previousPeriodStart: new Date('2026-10-01T00:00:00Z'),
  comparedAt: new Date('2026-10-26T15:00:00Z'),
  categories: [
    { category: 'storage', label: 'Storage', current: 200, previous: 110, change: { amount: 90, fraction: 90 / 110 } },
    {
      category: 'compute',
      label: 'Compute',
      current: 100,
      previous: 110,
      change: { amount: -10, fraction: -10 / 110 },
    },
  ],
};

describe('renderCompare', () => {
  it('leads with this period against the same point of the last, by category, then the invoice trend', () => {
    const message = renderCompare(
      { monthToDate: 300, monthOverMonth: mom, invoices: invoiceTrend(invoicesSummary) },
      ctx,
    );
    expectValid(message);
    const text = blockText(message);
    expect(text).toContain(
      '*$300.00* so far this period: +$80.00 (+36%) against $220.00 at the same point last period (Oct 26, 2026) (from hourly snapshots).',
    );
    expect(text).toContain('*Storage*\n$200.00 (+$90.00 (+82%))');
    expect(text).toContain('*Compute*\n$100.00 (-$10.00 (-9%))');
    expect(text).toMatch(/\*Last \d invoices\* {2}`[▁▂▃▄▅▆▇█]+`/);
    expect(message.text).toBe(
      'Acme Robotics: $300.00 so far this period, +$80.00 (+36%) against $220.00 at the same point last period (Oct 26, 2026).',
    );
  });

  it('says why there is no comparison yet, and handles no invoices', () => {
    const message = renderCompare({ monthToDate: 12.5, invoices: { points: [], average: 0 } }, ctx);
    expectValid(message);
    const text = blockText(message);
    expect(text).toContain('There is no figure for the same point of last period yet');
    expect(text).toContain('No invoices yet.');
  });

  it('stays within Slack’s limits with a hostile org label', () => {
    expectValid(
      renderCompare(
        { monthToDate: 1, monthOverMonth: mom, invoices: invoiceTrend(invoicesSummary) },
        { ...ctx, orgLabel: LONG_NASTY },
      ),
    );
  });
});

import { invoiceTrend, sparkline } from '../../src/trends/invoice-trend';
import { invoicesSummary, manyInvoices } from '../blocks/fixtures';

describe('invoiceTrend', () => {
  it('takes the newest six, oldest first, with the last change and the average', () => {
    const summary = manyInvoices(9);
    const trend = invoiceTrend(summary);
    expect(trend.points).toHaveLength(6);
    const dates = trend.points.map((point) => point.date?.getTime() ?? 0);
    expect([...dates].sort((a, b) => a - b)).toEqual(dates);
    const newest = [...summary.invoices].sort((a, b) => (b.date?.getTime() ?? 0) - (a.date?.getTime() ?? 0));
    expect(trend.points.at(-1)?.id).toBe(newest[0]?.id);
    const amounts = trend.points.map((point) => point.amount);
    expect(trend.average).toBeCloseTo(amounts.reduce((a, b) => a + b, 0) / 6, 2);
    expect(trend.lastChange?.amount).toBeCloseTo((amounts[5] ?? 0) - (amounts[4] ?? 0), 2);
  });

  it('works with fewer invoices and with none', () => {
    expect(invoiceTrend(invoicesSummary).points.length).toBe(Math.min(6, invoicesSummary.invoices.length));
    expect(invoiceTrend({ outstandingBalance: 0, invoices: [] })).toEqual({ points: [], average: 0 });
  });
});

describe('sparkline', () => {
  it('scales from zero to the largest amount', () => {
    expect(sparkline([0, 50, 100])).toBe('▁▅█');
    expect(sparkline([10, 10])).toBe('██');
    expect(sparkline([])).toBe('');
    expect(sparkline([0, 0])).toBe('▁▁');
  });
});

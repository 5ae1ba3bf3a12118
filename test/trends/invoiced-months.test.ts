import type { Invoice, InvoicesSummary } from '../../src/billing/model';
import { billedMonthOf, invoicedMonthName, invoicedMonths } from '../../src/trends/invoiced-months';

const NOVEMBER = new Date('2026-11-01T00:00:00Z');

function invoice(id: string, date: string | undefined, amount: number): Invoice {
  return { id, amount, status: 'paid', ...(date ? { date: new Date(date) } : {}) } as Invoice;
}

function summary(...invoices: Invoice[]): InvoicesSummary {
  return { outstandingBalance: 0, invoices };
}

describe('billedMonthOf', () => {
  it('is the month before an invoice dated at midnight on the first, and the month of one dated on its last day', () => {
    expect(billedMonthOf(new Date('2026-11-01T00:00:00Z'))?.toISOString()).toBe('2026-10-01T00:00:00.000Z');
    expect(billedMonthOf(new Date('2026-10-31T23:00:00Z'))?.toISOString()).toBe('2026-10-01T00:00:00.000Z');
    expect(billedMonthOf(new Date('2026-01-01T00:00:00Z'))?.toISOString()).toBe('2025-12-01T00:00:00.000Z');
  });

  it('is undefined without a valid date', () => {
    expect(billedMonthOf(undefined)).toBeUndefined();
    expect(billedMonthOf(new Date(Number.NaN))).toBeUndefined();
  });
});

describe('invoicedMonths', () => {
  it('gives one total per billed month, oldest first, the last six before the current period', () => {
    const months = invoicedMonths(
      summary(
        ...[3, 4, 5, 6, 7, 8, 9, 10, 11].map((month) =>
          invoice(`in_${month}`, `2026-${String(month + 1).padStart(2, '0')}-01T00:00:00Z`, month * 10),
        ),
      ),
      NOVEMBER,
    );
    expect(months.map((month) => [month.month.toISOString().slice(0, 7), month.amount])).toEqual([
      ['2026-05', 50],
      ['2026-06', 60],
      ['2026-07', 70],
      ['2026-08', 80],
      ['2026-09', 90],
      ['2026-10', 100],
    ]);
  });

  it('adds up several invoices of one month and skips undated or non-finite ones', () => {
    const months = invoicedMonths(
      summary(
        invoice('in_a', '2026-11-01T00:00:00Z', 100.1),
        invoice('in_b', '2026-10-31T12:00:00Z', 0.2),
        invoice('in_c', undefined, 999),
        invoice('in_d', '2026-10-01T00:00:00Z', Number.NaN),
      ),
      NOVEMBER,
    );
    expect(months).toEqual([{ month: new Date('2026-10-01T00:00:00Z'), amount: 100.3 }]);
  });

  it('honours a smaller count, and is empty for an org never invoiced', () => {
    const two = invoicedMonths(
      summary(
        invoice('in_1', '2026-09-01T00:00:00Z', 1),
        invoice('in_2', '2026-10-01T00:00:00Z', 2),
        invoice('in_3', '2026-11-01T00:00:00Z', 3),
      ),
      NOVEMBER,
      2,
    );
    expect(two.map((month) => month.amount)).toEqual([2, 3]);
    expect(invoicedMonths(summary(), NOVEMBER)).toEqual([]);
  });

  it('names a month in UTC', () => {
    expect(invoicedMonthName(new Date('2026-10-01T00:00:00Z'))).toBe('Oct 2026');
    expect(invoicedMonthName(new Date('2026-10-01T00:00:00Z'), 'long')).toBe('October 2026');
  });
});

import { parse } from 'csv-parse/sync';
import { INVOICES_CSV_HEADER, invoicesCsv } from '../../src/export/invoices-csv';
import { invoicesSummary } from '../blocks/fixtures';

describe('invoicesCsv', () => {
  it('has a header and one row per invoice matching the summary to the cent', () => {
    const csv = invoicesCsv('acme', invoicesSummary);
    const [header, ...rows] = parse(csv, { bom: true }) as string[][];
    expect(header).toEqual([...INVOICES_CSV_HEADER]);
    expect(rows).toHaveLength(invoicesSummary.invoices.length);
    invoicesSummary.invoices.forEach((invoice, index) => {
      const row = rows[index] as string[];
      expect(row[1]).toBe(invoice.id);
      expect(row[2]).toBe(invoice.date ? invoice.date.toISOString().slice(0, 10) : '');
      expect(Math.round(Number(row[3]) * 100)).toBe(Math.round(invoice.amount * 100));
      expect(row[3]).toMatch(/^-?\d+\.\d{2}$/);
      expect(row[5]).toBe(invoice.dueDate ? invoice.dueDate.toISOString().slice(0, 10) : '');
      expect(row[6]).toBe(invoice.paidDate ? invoice.paidDate.toISOString().slice(0, 10) : '');
      expect(row[7]).toBe(invoice.paymentFailure?.reason ?? '');
    });
  });

  it('writes only the header when there are no invoices', () => {
    const csv = invoicesCsv('acme', { outstandingBalance: 0, invoices: [] });
    expect(parse(csv, { bom: true })).toEqual([[...INVOICES_CSV_HEADER]]);
  });
});

import { formatDollars, invoiceLines, renderInvoicePdf } from '../../../dev/emulator/invoice-pdf';
import type { InvoiceSummary } from '../../../src/gen/viam/app/v1/billing';
import { inspectPdf } from './pdf-inspect';

const invoice: InvoiceSummary = {
  id: 'in_1QTest0000000000000000000',
  invoiceDate: new Date('2026-11-01T00:00:00Z'),
  invoiceAmount: 1234.57,
  status: 'outstanding',
  dueDate: new Date('2026-11-16T00:00:00Z'),
  paidDate: undefined,
  lastPaymentFailureReason: 'card_declined',
  lastPaymentFailureAt: new Date('2026-11-01T02:00:00Z'),
};
const now = new Date('2026-11-20T00:00:00Z');

describe('invoiceLines', () => {
  it('splits the amount by usage in whole cents that add up exactly', () => {
    for (const amount of [0, 0.01, 0.07, 99.99, 1234.57, 100_000.01]) {
      const lines = invoiceLines(amount, [
        { costType: 6, cost: 1 },
        { costType: 4, cost: 1 },
        { costType: 27, cost: 1 },
        { costType: 6, cost: 0.5 },
      ]);
      expect(lines.map((line) => line.label)).toEqual([
        'Image and video data storage',
        'Standard compute',
        'Premium modules',
      ]);
      const cents = lines.map((line) => Math.round(line.amount * 100));
      lines.forEach((line, i) => {
        expect(Math.abs((cents[i] ?? Number.NaN) - line.amount * 100)).toBeLessThan(1e-6);
      });
      expect(cents.reduce((a, b) => a + b, 0)).toBe(Math.round(amount * 100));
    }
  });

  it('falls back to one line without usage, and labels unknown types by number', () => {
    expect(invoiceLines(5, [])).toEqual([{ label: 'Platform usage', amount: 5 }]);
    expect(invoiceLines(5, [{ costType: 99, cost: 1 }])).toEqual([{ label: 'Other charges (type 99)', amount: 5 }]);
  });
});

describe('renderInvoicePdf', () => {
  const mix = Array.from({ length: 27 }, (_, i) => ({ costType: i + 1, cost: i + 1 }));

  it('prints org, invoice id, period, dates, lines, total and the payment failure', () => {
    const pdf = inspectPdf(
      renderInvoicePdf({ orgName: 'Acme (Test) Robotics', orgId: 'org-1', invoice, usageMix: mix.slice(0, 5), now }),
    );
    const text = pdf.texts.join('\n');
    for (const expected of [
      'Acme (Test) Robotics',
      'org-1',
      invoice.id,
      '2026-10-01 to 2026-10-31',
      '2026-11-16',
      'outstanding',
      'Standard compute',
      '$1,234.57',
      'card_declined on 2026-11-01',
    ]) {
      expect(text).toContain(expected);
    }
    expect(pdf.pageCount).toBe(2);
  });

  it('continues long line lists on further pages and numbers every page', () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ costType: 100 + i, cost: 1 }));
    const pdf = inspectPdf(renderInvoicePdf({ orgName: 'Big', orgId: 'org-2', invoice, usageMix: many, now }));
    expect(pdf.pageCount).toBeGreaterThanOrEqual(3);
    expect(pdf.texts.filter((text) => / - page \d+ of \d+$/.test(text))).toHaveLength(pdf.pageCount);
    expect(pdf.texts.filter((text) => text.startsWith('Other charges (type'))).toHaveLength(60);
  });

  it('is byte-identical for the same input', () => {
    const input = { orgName: 'Acme', orgId: 'org-1', invoice, usageMix: mix, now };
    expect(renderInvoicePdf(input).equals(renderInvoicePdf(input))).toBe(true);
  });
});

describe('formatDollars', () => {
  it('groups thousands and keeps cents', () => {
    expect(formatDollars(0)).toBe('$0.00');
    expect(formatDollars(1234567.8)).toBe('$1,234,567.80');
    expect(formatDollars(-5.5)).toBe('-$5.50');
  });
});

import { normalizeInvoiceStatus } from '../billing/invoice-status';
import type { InvoicesSummary } from '../billing/model';
import { decimalCents, isoDate, textCell, toCsv } from './csv';

export const INVOICES_CSV_HEADER = [
  'org',
  'invoice_id',
  'invoice_date',
  'amount_usd',
  'status',
  'due_date',
  'paid_date',
  'payment_failure',
] as const;

/** One row per invoice, newest first as Viam lists them. */
export function invoicesCsv(orgLabel: string, summary: InvoicesSummary): string {
  const rows = summary.invoices.map((invoice) => [
    textCell(orgLabel),
    textCell(invoice.id),
    isoDate(invoice.date),
    decimalCents(invoice.amount),
    textCell(normalizeInvoiceStatus(invoice.status)),
    isoDate(invoice.dueDate),
    isoDate(invoice.paidDate),
    textCell(invoice.paymentFailure?.reason ?? ''),
  ]);
  return toCsv(INVOICES_CSV_HEADER, rows);
}

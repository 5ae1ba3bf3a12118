/**
 * Plain words for invoice states and payment failures. Viam's status and failure reason are free
 * strings that grow over time, so anything unknown still reads sensibly.
 */

import {
  hasFailedPayment,
  isOverdue,
  isUnpaid,
  normalizeInvoiceStatus,
  paymentFailureText,
} from '../billing/invoice-status';
import type { Invoice } from '../billing/model';
import { titleCase } from './format';

const STATUS_WORDS: Readonly<Record<string, string>> = {
  paid: 'Paid',
  outstanding: 'Outstanding',
  overdue: 'Overdue',
  payment_processing: 'Payment processing',
  free: 'Free',
};

export { paymentFailureText };

export interface InvoiceState {
  /** What the reader sees: Paid, Outstanding, Overdue, Payment processing, Free, or the raw status title-cased. */
  word: string;
  /** Still to be paid (outstanding or overdue). */
  unpaid: boolean;
  /** Unpaid and past its due date, or marked overdue by Viam. */
  overdue: boolean;
  /** Unpaid and the last attempt to charge it failed. */
  failed: boolean;
}

export function invoiceState(invoice: Invoice, now: Date): InvoiceState {
  const overdue = isOverdue(invoice, now);
  const word = overdue
    ? 'Overdue'
    : (STATUS_WORDS[normalizeInvoiceStatus(invoice.status)] ?? (titleCase(invoice.status) || 'Unknown status'));
  return { word, unpaid: isUnpaid(invoice), overdue, failed: hasFailedPayment(invoice) };
}

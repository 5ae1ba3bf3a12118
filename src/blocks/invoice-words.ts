/**
 * Plain words for invoice states and payment failures. Viam's status and failure reason are free
 * strings that grow over time, so anything unknown still reads sensibly.
 */
import type { Invoice } from '../billing/model';
import { isValidDate, titleCase } from './format';

const STATUS_WORDS: Readonly<Record<string, string>> = {
  paid: 'Paid',
  outstanding: 'Outstanding',
  overdue: 'Overdue',
  payment_processing: 'Payment processing',
  free: 'Free',
};

const FAILURE_SENTENCES: Readonly<Record<string, string>> = {
  card_declined: 'The card was declined',
  insufficient_funds: 'The account had insufficient funds',
  expired_card: 'The card has expired',
  incorrect_cvc: "The card's security code was incorrect",
  incorrect_card_number: 'The card number was incorrect',
  authentication_required: 'The bank asked the card holder to confirm the payment',
  processing_error: 'The payment processor had an error',
};

const GENERIC_FAILURE = 'The payment did not go through';

/** A sentence (without final stop) for Viam's `last_payment_failure_reason`; unknown codes get a generic one. */
export function paymentFailureText(reason: string): string {
  return FAILURE_SENTENCES[reason.trim().toLowerCase()] ?? GENERIC_FAILURE;
}

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

function normalizedStatus(status: string): string {
  return status
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

export function invoiceState(invoice: Invoice, now: Date): InvoiceState {
  const status = normalizedStatus(invoice.status);
  const unpaid = status === 'outstanding' || status === 'overdue';
  const pastDue = isValidDate(invoice.dueDate) && invoice.dueDate.getTime() < now.getTime();
  const overdue = status === 'overdue' || (unpaid && pastDue);
  const failed = unpaid && (invoice.paymentFailure?.reason.trim() ?? '') !== '';
  const word = overdue ? 'Overdue' : (STATUS_WORDS[status] ?? (titleCase(invoice.status) || 'Unknown status'));
  return { word, unpaid, overdue, failed };
}

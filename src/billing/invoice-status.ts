import type { Invoice, KnownInvoiceStatus } from './model';

/**
 * Reading Viam's invoice status and payment failure reason, both free strings that grow over time.
 * Statuses arrive already lowercased and trimmed from convert.ts; these helpers normalise again so
 * they are safe on hand-built invoices too.
 */

const KNOWN_STATUSES: readonly KnownInvoiceStatus[] = ['paid', 'outstanding', 'payment_processing', 'overdue', 'free'];

/** `Payment Processing` and `payment-processing` both read as `payment_processing`. */
export function normalizeInvoiceStatus(status: string): string {
  return status
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

export function knownInvoiceStatus(invoice: Invoice): KnownInvoiceStatus | undefined {
  const status = normalizeInvoiceStatus(invoice.status);
  return (KNOWN_STATUSES as readonly string[]).includes(status) ? (status as KnownInvoiceStatus) : undefined;
}

/** Nothing more to pay: paid, or free. */
export function isSettled(invoice: Invoice): boolean {
  const status = knownInvoiceStatus(invoice);
  return status === 'paid' || status === 'free';
}

/** Waiting for the customer to pay. A payment in flight is not counted, nor are statuses this build does not know. */
export function isUnpaid(invoice: Invoice): boolean {
  const status = knownInvoiceStatus(invoice);
  return status === 'outstanding' || status === 'overdue';
}

/** Viam marked it overdue, or it is still unpaid after its due date. */
export function isOverdue(invoice: Invoice, now: Date): boolean {
  if (knownInvoiceStatus(invoice) === 'overdue') return true;
  return isUnpaid(invoice) && invoice.dueDate !== undefined && invoice.dueDate.getTime() < now.getTime();
}

/** The last charge attempt failed and the invoice is still unpaid. */
export function hasFailedPayment(invoice: Invoice): boolean {
  return isUnpaid(invoice) && invoice.paymentFailure !== undefined && invoice.paymentFailure.reason.trim() !== '';
}

const FAILURE_SENTENCES: Readonly<Record<string, string>> = {
  card_declined: 'The card was declined',
  insufficient_funds: 'The account had insufficient funds',
  expired_card: 'The card has expired',
  incorrect_cvc: "The card's security code was incorrect",
  incorrect_card_number: 'The card number was incorrect',
  authentication_required: 'The bank asked the card holder to confirm the payment',
  processing_error: 'The payment processor had an error',
  other: 'The payment failed',
};

/** Codes are echoed into chat, so anything beyond a plain identifier is cut down first. */
function printableCode(reason: string): string {
  return reason.replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 64);
}

/** A sentence without final stop for `last_payment_failure_reason`; unknown codes keep the code in brackets. */
export function paymentFailureText(reason: string): string {
  const code = reason.trim().toLowerCase();
  const known = FAILURE_SENTENCES[code];
  if (known) return known;
  const shown = printableCode(code);
  return shown === '' ? 'The payment failed' : `The payment failed (${shown})`;
}

import {
  hasFailedPayment,
  isOverdue,
  isSettled,
  isUnpaid,
  knownInvoiceStatus,
  normalizeInvoiceStatus,
  paymentFailureText,
} from '../../src/billing/invoice-status';
import type { Invoice } from '../../src/billing/model';

const NOW = new Date('2026-11-20T00:00:00Z');

function invoice(status: string, extra: Partial<Invoice> = {}): Invoice {
  return { id: 'in_1', amount: 10, status, ...extra };
}

describe('invoice status', () => {
  it('normalises spelling variants', () => {
    expect(normalizeInvoiceStatus(' Payment Processing ')).toBe('payment_processing');
    expect(normalizeInvoiceStatus('payment-processing')).toBe('payment_processing');
    expect(knownInvoiceStatus(invoice('PAID'))).toBe('paid');
    expect(knownInvoiceStatus(invoice('refunded'))).toBeUndefined();
  });

  it('tells settled from unpaid, leaving in-flight and unknown statuses in neither', () => {
    expect(isSettled(invoice('paid'))).toBe(true);
    expect(isSettled(invoice('free'))).toBe(true);
    expect(isUnpaid(invoice('outstanding'))).toBe(true);
    expect(isUnpaid(invoice('overdue'))).toBe(true);
    for (const status of ['payment_processing', 'refunded']) {
      expect(isSettled(invoice(status))).toBe(false);
      expect(isUnpaid(invoice(status))).toBe(false);
    }
  });

  it('calls an invoice overdue when Viam says so or it is unpaid past its due date', () => {
    expect(isOverdue(invoice('overdue'), NOW)).toBe(true);
    expect(isOverdue(invoice('outstanding', { dueDate: new Date('2026-11-19T00:00:00Z') }), NOW)).toBe(true);
    expect(isOverdue(invoice('outstanding', { dueDate: new Date('2026-11-21T00:00:00Z') }), NOW)).toBe(false);
    expect(isOverdue(invoice('outstanding'), NOW)).toBe(false);
    expect(isOverdue(invoice('paid', { dueDate: new Date('2026-01-01T00:00:00Z') }), NOW)).toBe(false);
    expect(isOverdue(invoice('payment_processing', { dueDate: new Date('2026-01-01T00:00:00Z') }), NOW)).toBe(false);
  });

  it('flags a failed payment only on an unpaid invoice', () => {
    const failure = { paymentFailure: { reason: 'card_declined' } };
    expect(hasFailedPayment(invoice('outstanding', failure))).toBe(true);
    expect(hasFailedPayment(invoice('paid', failure))).toBe(false);
    expect(hasFailedPayment(invoice('outstanding'))).toBe(false);
  });
});

describe('paymentFailureText', () => {
  it.each([
    ['card_declined', 'The card was declined'],
    ['insufficient_funds', 'The account had insufficient funds'],
    ['expired_card', 'The card has expired'],
    ['incorrect_cvc', "The card's security code was incorrect"],
    ['incorrect_card_number', 'The card number was incorrect'],
    ['authentication_required', 'The bank asked the card holder to confirm the payment'],
    ['processing_error', 'The payment processor had an error'],
    ['other', 'The payment failed'],
    [' Card_Declined ', 'The card was declined'],
  ])('%s reads "%s"', (reason, text) => {
    expect(paymentFailureText(reason)).toBe(text);
  });

  it('keeps an unknown code in brackets, cleaned for chat', () => {
    expect(paymentFailureText('fraud_suspected')).toBe('The payment failed (fraud_suspected)');
    expect(paymentFailureText('<@U123> *bold*')).toBe('The payment failed (u123bold)');
    expect(paymentFailureText('')).toBe('The payment failed');
    expect(paymentFailureText('x'.repeat(200))).toBe(`The payment failed (${'x'.repeat(64)})`);
  });
});

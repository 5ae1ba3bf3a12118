import type { Invoice } from '../../src/billing/model';
import { invoiceState } from '../../src/blocks/invoice-words';
import { NOW } from './fixtures';

describe('invoiceState', () => {
  const invoice = (status: string, extra: Partial<Invoice> = {}): Invoice => ({
    id: 'in_1',
    amount: 1,
    status,
    ...extra,
  });
  const past = new Date(NOW.getTime() - 1);
  const future = new Date(NOW.getTime() + 1);

  it.each([
    ['paid', 'Paid'],
    ['PAID', 'Paid'],
    ['outstanding', 'Outstanding'],
    ['overdue', 'Overdue'],
    ['payment_processing', 'Payment processing'],
    ['Payment Processing', 'Payment processing'],
    ['free', 'Free'],
    ['uncollectible', 'Uncollectible'],
    ['partially_refunded', 'Partially Refunded'],
    ['', 'Unknown status'],
  ])('words status %p as %p', (status, word) => {
    expect(invoiceState(invoice(status), NOW).word).toBe(word);
  });

  it('is overdue when unpaid past its due date, or when Viam says so', () => {
    expect(invoiceState(invoice('outstanding', { dueDate: past }), NOW)).toMatchObject({
      overdue: true,
      word: 'Overdue',
    });
    expect(invoiceState(invoice('outstanding', { dueDate: future }), NOW).overdue).toBe(false);
    expect(invoiceState(invoice('overdue'), NOW).overdue).toBe(true);
    expect(invoiceState(invoice('paid', { dueDate: past }), NOW).overdue).toBe(false);
    expect(invoiceState(invoice('payment_processing', { dueDate: past }), NOW).overdue).toBe(false);
    expect(invoiceState(invoice('outstanding', { dueDate: new Date(Number.NaN) }), NOW).overdue).toBe(false);
  });

  it('is failed only while unpaid with a failure reason', () => {
    const failure = { reason: 'card_declined' };
    expect(invoiceState(invoice('outstanding', { paymentFailure: failure }), NOW).failed).toBe(true);
    expect(invoiceState(invoice('paid', { paymentFailure: failure }), NOW).failed).toBe(false);
    expect(invoiceState(invoice('outstanding', { paymentFailure: { reason: ' ' } }), NOW).failed).toBe(false);
  });
});

import { invoiceEvents, planInvoiceAlerts, type RecordedEvents } from '../../src/alerts/invoice-events';
import type { Invoice } from '../../src/billing/model';

const NOW = new Date('2026-11-26T15:00:00Z');

const outstanding: Invoice = {
  id: 'in_nov',
  date: new Date('2026-11-01T00:00:00Z'),
  amount: 268.55,
  status: 'outstanding',
  dueDate: new Date('2026-12-01T00:00:00Z'),
};
const overdue: Invoice = {
  id: 'in_oct',
  date: new Date('2026-10-01T00:00:00Z'),
  amount: 251.1,
  status: 'outstanding',
  dueDate: new Date('2026-10-16T00:00:00Z'),
};
const failedAndOverdue: Invoice = {
  ...overdue,
  id: 'in_sep',
  paymentFailure: { reason: 'card_declined', at: new Date('2026-10-02T00:00:00Z') },
};
const paid: Invoice = {
  id: 'in_aug',
  date: new Date('2026-08-01T00:00:00Z'),
  amount: 230.02,
  status: 'paid',
  dueDate: new Date('2026-08-16T00:00:00Z'),
  paidDate: new Date('2026-08-02T00:00:00Z'),
};

function recorded(entries: Record<string, Array<'new' | 'overdue' | 'payment-failed'>>): RecordedEvents {
  return new Map(Object.entries(entries).map(([id, events]) => [id, new Set(events)]));
}

describe('invoiceEvents', () => {
  it('finds what an invoice shows now', () => {
    expect(invoiceEvents(outstanding, NOW)).toEqual(['new']);
    expect(invoiceEvents(overdue, NOW)).toEqual(['new', 'overdue']);
    expect(invoiceEvents(failedAndOverdue, NOW)).toEqual(['new', 'overdue', 'payment-failed']);
    expect(invoiceEvents({ ...overdue, status: 'overdue', dueDate: undefined }, NOW)).toEqual(['new', 'overdue']);
    expect(invoiceEvents(paid, NOW)).toEqual(['new']);
  });

  it('does not call a $0 invoice new, nor a failure on a paid invoice failed', () => {
    expect(invoiceEvents({ ...outstanding, amount: 0, status: 'free' }, NOW)).toEqual([]);
    expect(invoiceEvents({ ...paid, paymentFailure: { reason: 'card_declined' } }, NOW)).toEqual(['new']);
  });

  it('reads an invoice as overdue from the instant after its due date', () => {
    const due = new Date('2026-12-01T00:00:00Z');
    expect(invoiceEvents(outstanding, due)).toEqual(['new']);
    expect(invoiceEvents(outstanding, new Date(due.getTime() + 1))).toEqual(['new', 'overdue']);
  });
});

describe('planInvoiceAlerts', () => {
  it('on the first check passes over what is there, but alerts an invoice first seen overdue or failed once', () => {
    const plan = planInvoiceAlerts([outstanding, failedAndOverdue, overdue, paid], new Map(), NOW, true);
    expect(plan.passOver.map((invoice) => invoice.id)).toEqual(['in_nov', 'in_sep', 'in_oct', 'in_aug']);
    expect(plan.alerts).toEqual([
      { invoice: failedAndOverdue, alert: 'payment-failed', covers: ['overdue'] },
      { invoice: overdue, alert: 'overdue', covers: [] },
    ]);
  });

  it('afterwards alerts a new invoice, and one that just became overdue, once each', () => {
    const seen = recorded({ in_nov: ['new'], in_oct: ['new', 'overdue'] });
    const newer: Invoice = {
      ...outstanding,
      id: 'in_dec',
      date: new Date('2026-12-01T00:00:00Z'),
      dueDate: new Date('2026-12-16T00:00:00Z'),
    };
    const later = new Date('2026-12-02T00:00:00Z');
    const plan = planInvoiceAlerts([newer, outstanding, overdue], seen, later, false);
    expect(plan.passOver).toEqual([]);
    expect(plan.alerts).toEqual([
      { invoice: newer, alert: 'new', covers: [] },
      { invoice: outstanding, alert: 'overdue', covers: [] },
    ]);
    // Once those are recorded, nothing is left to say.
    const after = recorded({ in_dec: ['new'], in_nov: ['new', 'overdue'], in_oct: ['new', 'overdue'] });
    expect(planInvoiceAlerts([newer, outstanding, overdue], after, later, false).alerts).toEqual([]);
  });

  it('tells a new invoice that is already overdue in one alert led by the overdue', () => {
    const plan = planInvoiceAlerts([overdue], new Map(), NOW, false);
    expect(plan.alerts).toEqual([{ invoice: overdue, alert: 'overdue', covers: ['new'] }]);
  });

  it('skips invoices without an ID and repeats of the same one', () => {
    const plan = planInvoiceAlerts([{ ...overdue, id: '' }, overdue, overdue], new Map(), NOW, false);
    expect(plan.alerts).toHaveLength(1);
  });
});

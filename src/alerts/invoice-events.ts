/**
 * What happened to an org's invoices that its alert channel should hear about: a new invoice, one
 * that became overdue, a payment that failed. Pure: invoices and what was already recorded in, a
 * plan out. Each (invoice, event) is alerted at most once; events of one invoice found together go
 * out as one message about the most serious of them.
 */
import { hasFailedPayment, isOverdue } from '../billing/invoice-status';
import type { Invoice } from '../billing/model';

/** Least to most serious. */
export type InvoiceEvent = 'new' | 'overdue' | 'payment-failed';

export const INVOICE_EVENTS: readonly InvoiceEvent[] = ['new', 'overdue', 'payment-failed'];

/** What the ledger holds for one invoice: the events already alerted, covered or deliberately passed over. */
export type RecordedEvents = ReadonlyMap<string, ReadonlySet<InvoiceEvent>>;

export interface InvoiceAlertPlan {
  invoice: Invoice;
  /** The event the message leads with. */
  alert: InvoiceEvent;
  /** Other events of the same invoice, told in the same message and marked done with it. */
  covers: InvoiceEvent[];
}

export interface InvoicePlan {
  alerts: InvoiceAlertPlan[];
  /**
   * Invoices that were already there when the org's budget was set: recorded as seen, so they are
   * never announced as new. Being overdue or failed is still alerted (once).
   */
  passOver: Invoice[];
}

/** The events an invoice shows at `now`. A $0 invoice is not worth announcing as new. */
export function invoiceEvents(invoice: Invoice, now: Date): InvoiceEvent[] {
  const shows: Readonly<Record<InvoiceEvent, boolean>> = {
    new: Number.isFinite(invoice.amount) && Math.abs(invoice.amount) >= 0.005,
    overdue: isOverdue(invoice, now),
    'payment-failed': hasFailedPayment(invoice),
  };
  return INVOICE_EVENTS.filter((event) => shows[event]);
}

/**
 * `baseline` is true on the first check after a budget was set: invoices not recorded yet are
 * passed over as "new" (they are not news to anyone) but still alerted if overdue or failed.
 */
export function planInvoiceAlerts(
  invoices: readonly Invoice[],
  recorded: RecordedEvents,
  now: Date,
  baseline: boolean,
): InvoicePlan {
  const plan: InvoicePlan = { alerts: [], passOver: [] };
  const seenIds = new Set<string>();
  for (const invoice of invoices) {
    // An invoice without an ID cannot be told apart from the next one; a repeated one is the same invoice.
    if (!invoice.id || seenIds.has(invoice.id)) continue;
    seenIds.add(invoice.id);
    const done = recorded.get(invoice.id) ?? new Set<InvoiceEvent>();
    let fresh = invoiceEvents(invoice, now).filter((event) => !done.has(event));
    if (baseline && fresh.includes('new')) {
      plan.passOver.push(invoice);
      fresh = fresh.filter((event) => event !== 'new');
    }
    const alert = fresh.at(-1);
    if (alert !== undefined) plan.alerts.push({ invoice, alert, covers: fresh.slice(0, -1) });
  }
  return plan;
}

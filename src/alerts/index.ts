/**
 * Budget and invoice alerts. What other features may read: the thresholds already alerted in a
 * billing period (for the App Home's budget state), and the names of thresholds and events.
 */
export type { InvoiceEvent } from './invoice-events';
export { alertedThresholds } from './ledger';
export { BUDGET_THRESHOLDS, type BudgetThreshold } from './thresholds';

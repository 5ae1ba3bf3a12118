/** The Viam billing module: a typed client for BillingService and the domain types it returns. */
export { DEFAULT_REFRESH_MARGIN_MS, jwtTimes, refreshTime } from './auth';
export {
  type BillingClient,
  type BillingClientOptions,
  type CallBudget,
  createBillingClient,
  DEFAULT_DEADLINE_MS,
  DEFAULT_PDF_DEADLINE_MS,
  MAX_RECEIVE_MESSAGE_BYTES,
  ViamBillingClient,
} from './client';
export { toBillingInfo, toInvoicesSummary, toUsageReport } from './convert';
export { type CostTypeInfo, describeCostType, knownCostTypes } from './cost-types';
export { DEFAULT_VIAM_URL, type Endpoint, resolveEndpoint } from './endpoint';
export { type BillingErrorKind, defaultMessageFor, isViamBillingError, ViamBillingError } from './errors';
export { kindForStatus } from './grpc-errors';
export {
  hasFailedPayment,
  isOverdue,
  isSettled,
  isUnpaid,
  knownInvoiceStatus,
  normalizeInvoiceStatus,
  paymentFailureText,
} from './invoice-status';
export * from './model';
export { DEFAULT_MAX_PDF_BYTES } from './pdf';
export { DEFAULT_RETRY, type RetryPolicy } from './retry';
export { categoryTotals, totalDiscount } from './usage-totals';
export { isUuid, validateApiKey, validateInvoiceId, validateOrgId } from './validate';

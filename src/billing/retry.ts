import { status } from '@grpc/grpc-js';
import { ViamBillingError } from './errors';

/**
 * When and how long to wait before trying a read again. Only UNAVAILABLE is retried: the request
 * never reached a handler, or the server asked us to come back. DEADLINE_EXCEEDED is not retried:
 * the deadline is the caller's whole time budget (a Slack interaction waits on it), a slow server is
 * usually still slow a moment later, and the error is marked transient so callers can try later.
 */

export interface RetryPolicy {
  /** Total tries including the first; 1 means no retry. */
  attempts: number;
  /** Ceiling of the first wait; each further wait doubles it. */
  baseDelayMs: number;
}

export const DEFAULT_RETRY: Readonly<RetryPolicy> = { attempts: 3, baseDelayMs: 250 };
export const MAX_RETRY_DELAY_MS = 5_000;
const MAX_ATTEMPTS = 10;

export function validateRetryPolicy(policy: RetryPolicy): RetryPolicy {
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1 || policy.attempts > MAX_ATTEMPTS) {
    throw new ViamBillingError('invalid_argument', `Retry attempts must be a whole number from 1 to ${MAX_ATTEMPTS}.`);
  }
  if (!Number.isFinite(policy.baseDelayMs) || policy.baseDelayMs < 0) {
    throw new ViamBillingError('invalid_argument', 'The retry base delay must be a number of milliseconds >= 0.');
  }
  return { attempts: policy.attempts, baseDelayMs: policy.baseDelayMs };
}

export function isRetryableCode(code: number): boolean {
  return code === status.UNAVAILABLE;
}

/**
 * Wait before retry number `retry` (1 for the first retry): exponential with "equal jitter", i.e.
 * between half and all of `base * 2^(retry-1)`, capped, so many clients do not retry in lockstep.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(MAX_RETRY_DELAY_MS, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const unit = Math.min(1, Math.max(0, random()));
  return Math.round(ceiling / 2 + (unit * ceiling) / 2);
}

export function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

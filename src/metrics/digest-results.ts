import type { RunOutcome } from '../digest/runner';
import type { MetricEvents } from './app-metrics';

/**
 * Counts one scheduled run's outcome. Only final results count as digests (sent, late, failed,
 * skipped); busy, waiting and retry-scheduled runs are not finished yet and are counted when they are.
 * Bookkeeping that failed on the store counts as a store error.
 */
export function recordDigestOutcome(metrics: MetricEvents, outcome: RunOutcome): void {
  switch (outcome.status) {
    case 'posted':
      metrics.digest(outcome.late ? 'late' : 'sent');
      return;
    case 'reconciled':
      metrics.digest('sent');
      return;
    case 'failed':
      metrics.digest('failed');
      return;
    case 'skipped':
      metrics.digest('skipped');
      return;
    case 'error': {
      const kind = /^store_(.+)$/.exec(outcome.code)?.[1];
      if (kind) metrics.storeError(kind);
      return;
    }
    default:
      return;
  }
}

import { AppMetrics } from '../../src/metrics/app-metrics';
import { recordDigestOutcome } from '../../src/metrics/digest-results';

describe('digest outcomes as metrics', () => {
  it('counts final results only, and store bookkeeping failures as store errors', async () => {
    const metrics = new AppMetrics({ defaultMetrics: false });
    recordDigestOutcome(metrics, { status: 'posted', ts: '1.1', late: false });
    recordDigestOutcome(metrics, { status: 'posted', ts: '1.2', late: true });
    recordDigestOutcome(metrics, { status: 'reconciled', ts: '1.3' });
    recordDigestOutcome(metrics, { status: 'failed', code: 'viam_unauthenticated', notified: true });
    recordDigestOutcome(metrics, { status: 'skipped' });
    recordDigestOutcome(metrics, { status: 'busy' });
    recordDigestOutcome(metrics, { status: 'retry-scheduled', nextAttemptAt: new Date(), code: 'viam_unavailable' });
    recordDigestOutcome(metrics, { status: 'error', code: 'store_unavailable' });
    recordDigestOutcome(metrics, { status: 'error', code: 'run_timeout' });

    const text = await metrics.exposition();
    expect(text).toContain('viam_billing_digests_total{result="sent"} 2');
    expect(text).toContain('viam_billing_digests_total{result="late"} 1');
    expect(text).toContain('viam_billing_digests_total{result="failed"} 1');
    expect(text).toContain('viam_billing_digests_total{result="skipped"} 1');
    expect(text).toContain('viam_billing_store_errors_total{kind="unavailable"} 1');
    expect(text).not.toContain('process_cpu');
  });

  it('keeps each app instance’s counters apart', async () => {
    const first = new AppMetrics();
    const second = new AppMetrics();
    first.command('usage', 'ok');
    expect(await first.exposition()).toContain('viam_billing_commands_total{subcommand="usage",outcome="ok"} 1');
    expect(await second.exposition()).not.toContain('subcommand="usage"');
  });
});

import { AppMetrics } from '../../src/metrics/app-metrics';

describe('AppMetrics alerts', () => {
  it('counts alerts by kind and outcome, and org checks by outcome, from zero', async () => {
    const metrics = new AppMetrics({ defaultMetrics: false });
    const before = await metrics.exposition();
    expect(before).toContain('viam_billing_alert_checks_total{outcome="ok"} 0');
    expect(before).toContain('viam_billing_alert_checks_total{outcome="failed"} 0');
    expect(before).not.toContain('viam_billing_alerts_total{');

    metrics.alert('budget_80', 'posted');
    metrics.alert('budget_80', 'posted');
    metrics.alert('invoice_payment_failed', 'failed');
    metrics.alertCheck('ok');
    metrics.alertCheck('failed');
    metrics.alertCheck('ok');

    const after = await metrics.exposition();
    expect(after).toContain('viam_billing_alerts_total{kind="budget_80",outcome="posted"} 2');
    expect(after).toContain('viam_billing_alerts_total{kind="invoice_payment_failed",outcome="failed"} 1');
    expect(after).toContain('viam_billing_alert_checks_total{outcome="ok"} 2');
    expect(after).toContain('viam_billing_alert_checks_total{outcome="failed"} 1');
  });

  it('keeps one set of counters per instance', async () => {
    const one = new AppMetrics({ defaultMetrics: false });
    const other = new AppMetrics({ defaultMetrics: false });
    one.alert('budget_50', 'posted');
    expect(await other.exposition()).not.toContain('viam_billing_alerts_total{kind="budget_50"');
  });
});

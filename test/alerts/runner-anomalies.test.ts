/**
 * Spend anomaly alerts through the alert runner: hourly snapshots recorded by the checks themselves,
 * the emulator's spend moved over a fake week, alerts posted to the stand-in once per line per day,
 * across restarts, muted by Expected, and off when the org turns them off.
 */

import type { OrgCheckReport } from '../../src/alerts/runner';
import { AnomalySettingsStore } from '../../src/anomalies/settings';
import { AlertFeedback } from '../../src/feedback/choices';
import { type AlertHarness, BILLING_CHANNEL, startAlertHarness, TEAM } from './harness';

const HOUR = 60 * 60_000;
const PERIOD = '2026-11-01T00:00:00.000Z';

describe('AlertRunner spend anomalies', () => {
  let h: AlertHarness;
  let orgId: string;

  beforeEach(async () => {
    // Eight days of history before Thursday Nov 26, 10:00 UTC are built by the test's own checks.
    h = await startAlertHarness('2026-11-18T10:00:00Z');
    await h.connect(TEAM);
    orgId = h.emulator.orgs[0]?.orgId ?? '';
    h.setInvoices(0, []);
    // Far above the spend, so only anomalies alert.
    await h.setBudget(TEAM, 0, 1_000_000);
  });

  afterEach(async () => {
    await h.stop();
  });

  async function check(): Promise<OrgCheckReport> {
    const report = await h.newAlertRunner().checkOrg(await h.target(TEAM));
    expect(report.error).toBeUndefined();
    return report;
  }

  /** Checks every `stepHours` for `days`, with spend growing `perDay` dollars a day (split as spendLines does). */
  async function spendFor(days: number, perDay: number, start: { total: number }, stepHours = 6): Promise<void> {
    for (let hour = 0; hour < days * 24; hour += stepHours) {
      h.clock.advance(stepHours * HOUR);
      start.total += (perDay * stepHours) / 24;
      h.setSpend(0, start.total);
      await check();
    }
  }

  const anomalies = () =>
    h.alertsIn(BILLING_CHANNEL).filter((alert) => alert.text.includes('a day') && alert.runId.includes(':anomaly:'));

  it('a day of triple spend alerts each material line once, naming the rate and the usual rate', async () => {
    const spend = { total: 1000 };
    h.setSpend(0, spend.total);
    await check();
    await spendFor(7, 40, spend);
    expect(anomalies()).toEqual([]);

    // Six hours into a day at $200: the last 24 hours cost $80, twice the usual $40. Compute is half the
    // spend ($40 a day against $20) and storage 30% ($24 against $12); egress (15%, $12) and remote
    // control (5%) stay under the $20 floor.
    await spendFor(0.25, 200, spend);
    expect(anomalies().map((alert) => alert.text)).toEqual([
      'acme: Standard compute is costing $40.00 a day, 100% above its usual $20.00.',
      'acme: Binary data storage is costing $24.00 a day, 100% above its usual $12.00.',
    ]);
    expect(JSON.stringify(anomalies()[0]?.blocks)).toContain('viam_usage.alert_feedback.expected');

    // A later check the same UTC day alerts nothing new: those two are done for the day, and egress
    // ($18 a day twelve hours in) is still under the floor.
    await spendFor(0.25, 200, spend);
    expect(anomalies()).toHaveLength(2);

    // Past midnight UTC a new day starts: the lines still running high alert once more, egress too now.
    await spendFor(0.25, 200, spend);
    expect(
      anomalies()
        .slice(2)
        .map((alert) => alert.text),
    ).toEqual([
      'acme: Standard compute is costing $80.00 a day, 300% above its usual $20.00.',
      'acme: Binary data storage is costing $48.00 a day, 300% above its usual $12.00.',
      'acme: Binary data egress is costing $24.00 a day, 300% above its usual $6.00.',
    ]);
    const runIds = anomalies().map((alert) => alert.runId);
    expect(new Set(runIds).size).toBe(runIds.length);

    // A restarted process (a new runner, nothing in memory) the same day alerts nothing again.
    h.clock.advance(HOUR);
    const again = await h.newAlertRunner().checkOrg(await h.target(TEAM));
    expect(again.alerts.map((alert) => alert.outcome.status)).toEqual(['already-done', 'already-done', 'already-done']);
    expect(anomalies()).toHaveLength(5);
  });

  it('a line marked Expected is muted for the rest of the period; an org that turned alerts off gets none', async () => {
    const spend = { total: 1000 };
    h.setSpend(0, spend.total);
    await check();
    await spendFor(7, 40, spend);
    await new AlertFeedback(h.store).record(TEAM, orgId, PERIOD, {
      alert: 'anomaly:2026-11-25:line:standard_compute',
      line: 'line:standard_compute',
      choice: 'expected',
      userId: 'U0ADAOWNER',
      at: h.clock.now().toISOString(),
    });
    await new AnomalySettingsStore(h.store, h.log.logger).change(TEAM, orgId, { minDailyUsd: 50 });
    await spendFor(1, 200, spend);
    // Compute is muted; at a $50 floor storage alerts once it passes $50 a day, and nothing else does.
    expect(anomalies().map((alert) => alert.text)).toEqual([expect.stringContaining('Binary data storage')]);

    await new AnomalySettingsStore(h.store, h.log.logger).change(TEAM, orgId, { enabled: false });
    h.clock.advance(24 * HOUR);
    spend.total += 400;
    h.setSpend(0, spend.total);
    await check();
    expect(anomalies()).toHaveLength(1);
  });

  it('hours without checks (downtime) do not read as a spike', async () => {
    const spend = { total: 1000 };
    h.setSpend(0, spend.total);
    await check();
    await spendFor(5, 40, spend);
    // Three days down: the spend keeps going, no check records it.
    h.clock.advance(72 * HOUR);
    spend.total += 120;
    h.setSpend(0, spend.total);
    await check();
    expect(anomalies()).toEqual([]);
  });
});

/**
 * The alert runner against the real Viam emulator (gRPC), the Slack stand-in (HTTP) and a SQLite
 * store, with one clock for all three. Spend and invoices are moved with the emulator's overrides.
 */
import { alertedThresholds, budgetAlertId, invoiceAlertId } from '../../src/alerts/ledger';
import { ALERT_EVENT_TYPE, type AlertKind, type OrgCheckReport } from '../../src/alerts/runner';
import { renderBudgetAlert } from '../../src/blocks/alerts';
import { ACTION_SHARE_INVOICE_PDF, ACTION_SHOW_USAGE } from '../../src/blocks/ids';
import { postTagged } from '../../src/posting/tagged-message';
import { buttonsOf } from '../support/stack';
import { type AlertHarness, BILLING_CHANNEL, spendLines, startAlertHarness, TEAM } from './harness';

const HOUR = 60 * 60_000;

describe('AlertRunner', () => {
  let h: AlertHarness;
  let orgId: string;
  const counted: Array<{ kind: AlertKind; outcome: string }> = [];

  beforeEach(async () => {
    // Thursday Nov 26, 2026, 10:00 UTC: day 26 of a 30-day period.
    h = await startAlertHarness('2026-11-26T10:00:00Z');
    await h.connect(TEAM);
    orgId = h.emulator.orgs[0]?.orgId ?? '';
    h.setInvoices(0, []);
    counted.length = 0;
  });

  afterEach(async () => {
    await h.stop();
  });

  function runner() {
    return h.newAlertRunner({ onAlert: (kind, outcome) => counted.push({ kind, outcome }) });
  }

  async function check(using = runner()): Promise<OrgCheckReport> {
    const report = await using.checkOrg(await h.target(TEAM));
    expect(report.error).toBeUndefined();
    return report;
  }

  const statuses = (report: OrgCheckReport) => report.alerts.map((alert) => alert.outcome.status);

  describe('budget thresholds', () => {
    beforeEach(async () => {
      await h.setBudget(TEAM, 0, 1000);
    });

    it('alerts 50% and then 80% on later checks, each once, and not again after a restart', async () => {
      h.setSpend(0, 400);
      expect((await check()).alerts).toEqual([]);

      h.clock.advance(HOUR);
      h.setSpend(0, 512.4);
      const first = await check();
      expect(first.alerts).toEqual([
        {
          alertId: expect.stringMatching(/:spent-50$/),
          kind: 'budget_50',
          outcome: expect.objectContaining({ status: 'posted' }),
        },
      ]);
      h.clock.advance(HOUR);
      expect((await check()).alerts).toEqual([]);

      h.clock.advance(HOUR);
      h.setSpend(0, 812.4);
      expect(statuses(await check())).toEqual(['posted']);

      const alerts = h.alertsIn(BILLING_CHANNEL);
      expect(alerts).toHaveLength(2);
      expect(alerts[0]?.text).toContain('Half of the monthly budget is spent: $512.40 of $1,000.00 (51%)');
      expect(alerts[1]?.text).toContain('80% of the monthly budget is spent: $812.40 of $1,000.00 (81%)');
      // Nov 26 13:00 is 25 13/24 days into 30: $812.40 × 30 / 25.5417 projects to $954.21, under the budget.
      expect(alerts[1]?.text).toContain('Projected month-end $954.21');
      const blocks = JSON.stringify(alerts[1]?.blocks);
      expect(blocks).toContain('Compute: $406.20 (50%)');
      expect(blocks).toContain('Storage: $243.72 (30%)');
      expect(blocks).toContain('Data transfer: $121.86 (15%)');
      expect(blocks).not.toContain('Other:');
      const [showUsage, ...feedback] = buttonsOf(alerts[1] ?? {});
      expect(showUsage).toEqual({ actionId: ACTION_SHOW_USAGE, text: 'Show usage', value: '{"org":"acme"}' });
      expect(feedback.map((b) => b.text)).toEqual(['Expected', 'Investigating', 'Unexpected']);
      expect(JSON.parse(feedback[0]?.value ?? '{}')).toMatchObject({
        org: 'acme',
        alert: expect.stringMatching(/^budget:2026-11-01:\d+:spent-80$/),
      });

      // A restarted process (a new runner, nothing in memory) finds both done.
      h.clock.advance(HOUR);
      expect((await check(runner())).alerts).toEqual([]);
      expect(h.alertsIn(BILLING_CHANNEL)).toHaveLength(2);
      expect(counted).toEqual([
        { kind: 'budget_50', outcome: 'posted' },
        { kind: 'budget_80', outcome: 'posted' },
      ]);
      const budget = await h.budgets.get(TEAM, orgId);
      if (!budget) throw new Error('no budget');
      expect(await alertedThresholds(h.store, TEAM, budget, new Date('2026-11-01T00:00:00Z'))).toEqual([
        'spent-50',
        'spent-80',
      ]);
    });

    it('sends one alert for the most serious threshold when a budget is set with most of it spent', async () => {
      // 10:00 on Nov 26 is 25.42 days into 30: $870 projects to $1,026.89.
      h.setSpend(0, 870);
      const report = await check();
      expect(report.alerts).toEqual([
        expect.objectContaining({ kind: 'budget_projected', outcome: expect.objectContaining({ status: 'posted' }) }),
      ]);
      const [alert] = h.alertsIn(BILLING_CHANNEL);
      expect(alert?.text).toContain('Spend is on course to exceed the monthly budget: $1,026.89 projected');
      expect(alert?.text).toContain('Spent so far: $870.00 of $1,000.00 (87%)');
      const budget = await h.budgets.get(TEAM, orgId);
      if (!budget) throw new Error('no budget');
      expect(await alertedThresholds(h.store, TEAM, budget, new Date('2026-11-01T00:00:00Z'))).toEqual([
        'spent-50',
        'spent-80',
        'projected-over',
      ]);

      h.clock.advance(HOUR);
      h.setSpend(0, 1000);
      expect((await check()).alerts.map((item) => item.kind)).toEqual(['budget_100']);
      expect(h.alertsIn(BILLING_CHANNEL).at(-1)?.text).toContain(
        'The monthly budget is used up: $1,000.00 of $1,000.00 (100%)',
      );
      expect(h.alertsIn(BILLING_CHANNEL)).toHaveLength(2);
    });

    it('starts over when the amount changes, but not when only the channel does', async () => {
      h.setSpend(0, 600);
      expect(statuses(await check())).toEqual(['posted']);
      h.clock.advance(HOUR);
      await h.setBudget(TEAM, 0, 1200);
      expect((await check()).alerts.map((item) => item.kind)).toEqual(['budget_50']);
      expect(h.alertsIn(BILLING_CHANNEL).at(-1)?.text).toContain('$600.00 of $1,200.00 (50%)');

      h.clock.advance(HOUR);
      await h.setBudget(TEAM, 0, 1200, 'C0GENERAL0');
      expect((await check()).alerts).toEqual([]);
      expect(h.alertsIn(BILLING_CHANNEL)).toHaveLength(2);
    });

    it('starts over in the next billing period', async () => {
      h.setSpend(0, 600);
      expect(statuses(await check())).toEqual(['posted']);

      h.clock.set('2026-12-20T10:00:00Z');
      h.setSpend(0, 300);
      expect((await check()).alerts).toEqual([]);
      h.clock.advance(HOUR);
      h.setSpend(0, 550);
      const report = await check();
      expect(report.alerts.map((item) => item.alertId)).toEqual([
        budgetAlertId(
          new Date('2026-12-01T00:00:00Z'),
          (await h.budgets.get(TEAM, orgId))?.amountSetAt ?? '',
          'spent-50',
        ),
      ]);
      const alerts = h.alertsIn(BILLING_CHANNEL);
      expect(alerts).toHaveLength(2);
      expect(alerts[1]?.text).toContain('$550.00 of $1,000.00 (55%)');
      expect(alerts[0]?.runId).not.toEqual(alerts[1]?.runId);
    });

    it('posts once when two processes on one store check the same org at the same time', async () => {
      h.setSpend(0, 820);
      h.setInvoices(0, [{ id: 'in_1QoverdueAAAA', monthsAgo: 1, amount: 268.55, status: 'overdue' }]);
      const replicaStore = await h.openReplicaStore();
      const one = runner();
      const other = h.newAlertRunner({ store: replicaStore, owner: 'replica-b' });
      const target = await h.target(TEAM);
      const reports = await Promise.all([one.checkOrg(target), other.checkOrg(target)]);

      const alerts = h.alertsIn(BILLING_CHANNEL);
      expect(alerts.map((alert) => alert.runId).sort()).toEqual(
        [`${orgId}:${invoiceAlertId('in_1QoverdueAAAA', 'overdue')}`, expect.stringMatching(/:spent-80$/)].sort(),
      );
      const posted = reports.flatMap((report) => report.alerts).filter((alert) => alert.outcome.status === 'posted');
      expect(posted).toHaveLength(2);

      // Later checks from either process find everything done.
      h.clock.advance(HOUR);
      await Promise.all([one.checkOrg(target), other.checkOrg(target)]);
      expect(h.alertsIn(BILLING_CHANNEL)).toHaveLength(2);
    });

    it('records, instead of reposting, an alert whose post went out before a crash', async () => {
      h.setSpend(0, 520);
      const budget = await h.budgets.get(TEAM, orgId);
      if (!budget) throw new Error('no budget');
      const alertId = budgetAlertId(new Date('2026-11-01T00:00:00Z'), budget.amountSetAt, 'spent-50');
      const crashed = runner();
      await crashed.ledger.put(TEAM, {
        orgId,
        alertId,
        state: 'posting',
        channelId: BILLING_CHANNEL,
        postAttemptedAt: h.clock.now().toISOString(),
        attempts: 1,
        updatedAt: h.clock.now().toISOString(),
      });
      const message = renderBudgetAlert(
        { threshold: 'spent-50', budget: 1000, usage: await usageNow() },
        { orgLabel: 'acme', timeZone: 'UTC', now: h.clock.now() },
      );
      const ts = await postTagged(
        await h.clientFor(TEAM),
        BILLING_CHANNEL,
        message,
        ALERT_EVENT_TYPE,
        `${orgId}:${alertId}`,
      );

      h.clock.advance(5 * 60_000);
      const report = await check();
      expect(report.alerts).toEqual([expect.objectContaining({ outcome: { status: 'reconciled', ts } })]);
      expect(h.alertsIn(BILLING_CHANNEL)).toHaveLength(1);
      expect(await crashed.ledger.get(TEAM, orgId, alertId)).toMatchObject({ state: 'posted', messageTs: ts });
    });

    it('posts an alert whose earlier attempt never reached the channel', async () => {
      h.setSpend(0, 520);
      const budget = await h.budgets.get(TEAM, orgId);
      const alertId = budgetAlertId(new Date('2026-11-01T00:00:00Z'), budget?.amountSetAt ?? '', 'spent-50');
      const crashed = runner();
      await crashed.ledger.put(TEAM, {
        orgId,
        alertId,
        state: 'posting',
        channelId: BILLING_CHANNEL,
        postAttemptedAt: h.clock.now().toISOString(),
        attempts: 1,
        updatedAt: h.clock.now().toISOString(),
      });
      h.clock.advance(5 * 60_000);
      expect(statuses(await check())).toEqual(['posted']);
      expect(h.alertsIn(BILLING_CHANNEL)).toHaveLength(1);
      expect(await crashed.ledger.get(TEAM, orgId, alertId)).toMatchObject({ state: 'posted', attempts: 2 });
    });

    it('keeps an alert Slack refused for the next check, and sends it once the channel works again', async () => {
      h.setSpend(0, 520);
      h.standIn.workspace.setArchived(BILLING_CHANNEL);
      const refused = await check();
      expect(refused.alerts).toEqual([
        expect.objectContaining({ kind: 'budget_50', outcome: { status: 'failed', code: 'slack_is_archived' } }),
      ]);
      h.clock.advance(HOUR);
      h.standIn.workspace.setArchived(BILLING_CHANNEL, false);
      expect(statuses(await check())).toEqual(['posted']);
      expect(h.alertsIn(BILLING_CHANNEL)).toHaveLength(1);
      expect(counted).toEqual([
        { kind: 'budget_50', outcome: 'failed' },
        { kind: 'budget_50', outcome: 'posted' },
      ]);
    });

    it('reports a Viam failure without throwing and alerts on the next check', async () => {
      h.setSpend(0, 520);
      h.emulator.knobs.revokeKey(h.emulator.orgs[0]?.apiKeyId ?? '');
      const report = await runner().checkOrg(await h.target(TEAM));
      expect(report).toMatchObject({ error: 'viam_unauthenticated', alerts: [] });
      expect(h.alertsIn(BILLING_CHANNEL)).toHaveLength(0);
      expect(h.log.text()).not.toContain(h.emulator.orgs[0]?.apiKey ?? 'no key');

      h.emulator.knobs.reset();
      h.setSpend(0, 520);
      h.setInvoices(0, []);
      h.clock.advance(HOUR);
      expect(statuses(await check())).toEqual(['posted']);
    });
  });

  describe('invoice alerts', () => {
    /** Acme pays in 15 days: last month's invoice (dated Nov 1) fell due Nov 16. */
    const failed = {
      id: 'in_1QfailedAAAAAA',
      monthsAgo: 1,
      amount: 268.55,
      status: 'outstanding',
      paymentFailure: { reason: 'card_declined', hoursAfterInvoice: 2 },
    };
    const markedOverdue = { id: 'in_1QoverdueBBBBB', monthsAgo: 2, amount: 251.1, status: 'overdue' };
    const paid = { id: 'in_1QpaidCCCCCCCC', monthsAgo: 3, amount: 244.87, status: 'paid', paidAfterDays: 1 };

    beforeEach(async () => {
      h.setSpend(0, 100);
      h.setInvoices(0, [failed, markedOverdue, paid]);
      await h.setBudget(TEAM, 0, 1000);
    });

    it('alerts invoices already overdue or failed once when the budget is set, without calling any of them new', async () => {
      const report = await check();
      expect(report.alerts.map((alert) => [alert.kind, alert.outcome.status])).toEqual([
        ['invoice_overdue', 'posted'],
        ['invoice_payment_failed', 'posted'],
      ]);
      const alerts = h.alertsIn(BILLING_CHANNEL);
      expect(alerts[0]?.text).toContain('The $251.10 invoice of Oct 1, 2026 is overdue: it was due Oct 16, 2026.');
      expect(alerts[1]?.text).toContain(
        'A payment failed on the $268.55 invoice of Nov 1, 2026: The card was declined.',
      );
      // One message tells both that it failed and that it is now overdue.
      expect(alerts[1]?.text).toContain('The $268.55 invoice of Nov 1, 2026 is overdue: it was due Nov 16, 2026.');
      expect(buttonsOf(alerts[1] ?? {})).toEqual([
        { actionId: ACTION_SHOW_USAGE, text: 'Show usage', value: '{"org":"acme"}' },
        {
          actionId: ACTION_SHARE_INVOICE_PDF,
          text: 'Share PDF',
          value: JSON.stringify({ org: 'acme', invoice: failed.id }),
        },
      ]);

      h.clock.advance(HOUR);
      expect((await check()).alerts).toEqual([]);
      expect(h.alertsIn(BILLING_CHANNEL)).toHaveLength(2);
    });

    it('alerts a new invoice, then the day it becomes overdue, once each', async () => {
      await check();
      const before = h.alertsIn(BILLING_CHANNEL).length;

      // December: a new invoice for November appears, the others move a month back.
      h.clock.set('2026-12-02T09:00:00Z');
      h.setSpend(0, 20);
      const december = { id: 'in_1QnewDDDDDDDDD', monthsAgo: 1, amount: 301.2, status: 'outstanding' };
      const older = [failed, markedOverdue, paid].map((invoice) => ({ ...invoice, monthsAgo: invoice.monthsAgo + 1 }));
      h.setInvoices(0, [december, ...older]);
      expect((await check()).alerts.map((alert) => alert.kind)).toEqual(['invoice_new']);
      const fresh = h.alertsIn(BILLING_CHANNEL).at(-1);
      expect(fresh?.text).toContain('New invoice: the $301.20 invoice of Dec 1, 2026, due Dec 16, 2026.');
      expect(buttonsOf(fresh ?? {}).map((button) => button.value)).toContain(
        JSON.stringify({ org: 'acme', invoice: december.id }),
      );

      h.clock.advance(HOUR);
      expect((await check()).alerts).toEqual([]);

      h.clock.set('2026-12-17T09:00:00Z');
      h.setSpend(0, 40);
      h.setInvoices(0, [december, ...older]);
      expect((await check()).alerts.map((alert) => alert.kind)).toEqual(['invoice_overdue']);
      h.clock.advance(HOUR);
      expect((await check()).alerts).toEqual([]);
      expect(h.alertsIn(BILLING_CHANNEL)).toHaveLength(before + 2);
    });

    it('sends nothing for an org without a budget', async () => {
      await h.budgets.remove(TEAM, orgId);
      expect((await check()).alerts).toEqual([]);
      expect(h.alertsIn(BILLING_CHANNEL)).toEqual([]);
    });
  });

  describe('hourly usage snapshots', () => {
    it('records one snapshot per UTC hour for an org without a budget, without asking Viam again that hour', async () => {
      h.setSpend(0, 123.45);
      const alerts = runner();
      expect((await check(alerts)).snapshot).toBe('recorded');
      const reads = h.emulator.knobs.callCount('GetCurrentMonthUsage');

      h.clock.advance(20 * 60_000);
      expect((await check(alerts)).snapshot).toBe('present');
      expect((await check(runner())).snapshot).toBe('present');
      expect(h.emulator.knobs.callCount('GetCurrentMonthUsage')).toBe(reads);

      h.clock.advance(HOUR);
      h.setSpend(0, 124);
      expect((await check(alerts)).snapshot).toBe('recorded');
      h.clock.set('2026-11-27T00:30:00Z');
      h.setSpend(0, 130);
      expect((await check(alerts)).snapshot).toBe('recorded');

      const history = await alerts.snapshots.history(TEAM, orgId, {
        since: new Date('2026-11-26T00:00:00Z'),
        until: h.clock.now(),
      });
      expect(history.map((snapshot) => [snapshot.source, snapshot.takenAt, snapshot.subtotal])).toEqual([
        ['hourly', '2026-11-26T10:00:00.000Z', 123.45],
        ['hourly', '2026-11-26T11:20:00.000Z', 124],
        ['hourly', '2026-11-27T00:30:00.000Z', 130],
      ]);
      const [compute, storage, transfer, other] = (spendLines(123.45)[0]?.costs ?? []).map((line) => line.cost);
      expect(history[0]?.categories).toEqual({ compute, storage, data_transfer: transfer, other });
      expect(history[0]?.lines.standard_compute).toEqual({
        label: 'Standard compute',
        category: 'compute',
        amount: compute,
      });
    });

    it('takes it once when two processes check at the same time', async () => {
      h.setSpend(0, 50);
      const replicaStore = await h.openReplicaStore();
      const target = await h.target(TEAM);
      const reports = await Promise.all([
        runner().checkOrg(target),
        h.newAlertRunner({ store: replicaStore, owner: 'replica-b' }).checkOrg(target),
      ]);
      expect(reports.filter((report) => report.snapshot === 'recorded')).toHaveLength(1);
      const history = await runner().snapshots.history(TEAM, orgId);
      expect(history.filter((snapshot) => snapshot.source === 'hourly')).toHaveLength(1);
    });
  });

  async function usageNow() {
    const org = h.emulator.orgs[0];
    if (!org) throw new Error('no org');
    return h.billing.getCurrentMonthUsage({ id: org.apiKeyId, key: org.apiKey }, org.orgId);
  }
});

/**
 * The alert scheduler over several Slack workspaces (each its own team, token and channel in the
 * stand-in) and Viam orgs (the emulator's fixture), with one clock for all.
 */
import { MANIFEST_BOT_SCOPES } from '../../dev/slack-stand-in';
import { checkMinute, ORG_CHECK_QUEUE, orgCheckMember } from '../../src/alerts/check-times';
import type { OrgCheckReport } from '../../src/alerts/runner';
import { AlertScheduler } from '../../src/alerts/scheduler';
import type { WorkspaceRef } from '../../src/store';
import { type AlertHarness, BILLING_CHANNEL, startAlertHarness, TEAM } from './harness';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('AlertScheduler', () => {
  let h: AlertHarness;
  let farms: { ref: WorkspaceRef; channelId: string };
  let sandbox: { ref: WorkspaceRef; channelId: string };

  async function addWorkspace(name: string, label: string, orgIndex: number) {
    const team = h.standIn.workspace.addTeam({ name, scopes: [...MANIFEST_BOT_SCOPES] });
    const channelId = h.standIn.workspace.addChannel(team.id, { name: 'billing', botIsMember: true }).id;
    const ref = { teamId: team.id };
    await h.connect(ref, label, orgIndex);
    await h.setBudget(ref, orgIndex, 1000, channelId);
    h.setSpend(orgIndex, 600);
    h.setInvoices(orgIndex, []);
    return { ref, channelId };
  }

  beforeEach(async () => {
    h = await startAlertHarness('2026-11-26T10:00:00Z');
    await h.connect(TEAM);
    await h.setBudget(TEAM, 0, 1000);
    h.setSpend(0, 600);
    h.setInvoices(0, []);
    farms = await addWorkspace('Rivet Farms', 'farms', 1);
    sandbox = await addWorkspace('Sandbox Lab', 'sandbox', 2);
  });

  afterEach(async () => {
    await h.stop();
  });

  const byTeam = (checks: OrgCheckReport[]) => new Map(checks.map((check) => [check.ref.teamId, check]));

  it('checks every workspace; a revoked Slack token or Viam key in one stops no other', async () => {
    h.standIn.workspace.revokeToken(farms.ref.teamId);
    h.emulator.knobs.revokeKey(h.emulator.orgs[2]?.apiKeyId ?? '');
    const seen: OrgCheckReport[] = [];
    const scheduler = h.newAlertScheduler({ onCheck: (report) => seen.push(report) });

    const first = await scheduler.tick();
    expect(first.ran).toBe(true);
    expect(first.checks).toHaveLength(3);
    const checks = byTeam(first.checks);
    expect(checks.get(TEAM.teamId)?.alerts).toEqual([
      expect.objectContaining({ kind: 'budget_50', outcome: expect.objectContaining({ status: 'posted' }) }),
    ]);
    expect(checks.get(farms.ref.teamId)?.alerts).toEqual([
      expect.objectContaining({ kind: 'budget_50', outcome: { status: 'failed', code: 'slack_token_revoked' } }),
    ]);
    expect(checks.get(sandbox.ref.teamId)).toMatchObject({ error: 'viam_unauthenticated', alerts: [] });
    expect(seen).toHaveLength(3);
    expect(h.alertsIn(BILLING_CHANNEL)).toHaveLength(1);
    expect(h.log.entries().filter((entry) => entry.msg === 'alert check finished')).toEqual([
      expect.objectContaining({ orgs: 3, failedChecks: 1, alertsPosted: 1, snapshots: 2 }),
    ]);

    // Once the token works again that workspace gets its alert; the others are not repeated.
    h.standIn.workspace.restoreToken(farms.ref.teamId);
    h.clock.advance(HOUR);
    const second = await scheduler.tick();
    expect(byTeam(second.checks).get(farms.ref.teamId)?.alerts).toEqual([
      expect.objectContaining({ kind: 'budget_50', outcome: expect.objectContaining({ status: 'posted' }) }),
    ]);
    expect(byTeam(second.checks).get(TEAM.teamId)?.alerts).toEqual([]);
    expect(h.standIn.messagesIn(farms.channelId)).toHaveLength(1);
    expect(h.alertsIn(BILLING_CHANNEL)).toHaveLength(1);
  });

  it('does nothing for a tick asked for while one runs, and stop() waits for the running one', async () => {
    h.emulator.knobs.setLatency('GetCurrentMonthUsage', 200);
    const scheduler = h.newAlertScheduler();
    const running = scheduler.tick();
    expect(await scheduler.tick()).toEqual({ ran: false, checks: [], unreadableWorkspaces: 0 });
    const stopped = scheduler.stop();
    const report = await running;
    await stopped;
    expect(report.ran).toBe(true);
    expect(report.checks).toHaveLength(3);
    expect((await scheduler.tick()).ran).toBe(false);
  });

  it('moves on from a check that takes too long, does not start it twice, and stop() waits for it', async () => {
    h.emulator.knobs.setLatency('GetCurrentMonthUsage', 300);
    const scheduler = h.newAlertScheduler({ checkTimeoutMs: 20 });
    const first = await scheduler.tick();
    expect(first.checks.map((check) => check.error)).toEqual(['check_timeout', 'check_timeout', 'check_timeout']);
    // The abandoned checks still run; a new tick leaves those orgs alone instead of checking them twice.
    expect((await scheduler.tick()).checks).toEqual([]);
    await scheduler.stop();
    // They finished: each workspace got its one alert.
    expect(h.alertsIn(BILLING_CHANNEL)).toHaveLength(1);
    expect(h.standIn.messagesIn(farms.channelId)).toHaveLength(1);
    expect(h.standIn.messagesIn(sandbox.channelId)).toHaveLength(1);
  });

  it('skips workspaces with no org connected, and drops their due checks', async () => {
    await h.store.workspaces.disconnectOrg(sandbox.ref, 'sandbox');
    const report = await h.newAlertScheduler().tick();
    expect(report.checks.map((check) => check.ref.teamId).sort()).toEqual([TEAM.teamId, farms.ref.teamId].sort());
    expect(await h.store.due.get(ORG_CHECK_QUEUE, orgCheckMember(sandbox.ref, orgIdOf(2)))).toBeUndefined();
    expect(await h.store.due.size(ORG_CHECK_QUEUE)).toBe(2);
  });

  const orgIdOf = (index: number) => h.emulator.orgs[index]?.orgId ?? '';

  it('checks each org once an hour at its own minute, spread over the hour', async () => {
    const scheduler = h.newAlertScheduler();
    // Newly connected orgs are checked at once; from then on at their own minute.
    expect((await scheduler.tick()).checks).toHaveLength(3);
    const checkedAt = new Map<string, string[]>();
    for (let minute = 1; minute <= 120; minute++) {
      h.clock.advance(MINUTE);
      for (const check of (await scheduler.tick()).checks) {
        const times = checkedAt.get(check.ref.teamId) ?? [];
        times.push(h.clock.now().toISOString().slice(11, 16));
        checkedAt.set(check.ref.teamId, times);
      }
    }
    const minuteOf = (ref: WorkspaceRef, index: number) =>
      String(checkMinute(ref, orgIdOf(index), 60)).padStart(2, '0');
    const expected = [
      [TEAM, 0],
      [farms.ref, 1],
      [sandbox.ref, 2],
    ] as const;
    for (const [ref, index] of expected) {
      const minute = minuteOf(ref, index);
      // Minute 0 of 10:00 was the first check itself, so such an org comes round at 11:00 and 12:00.
      const times = minute === '00' ? ['11:00', '12:00'] : [`10:${minute}`, `11:${minute}`];
      expect({ team: ref.teamId, times: checkedAt.get(ref.teamId) }).toEqual({ team: ref.teamId, times });
    }
    // These three orgs' minutes differ (a property of their IDs, checked here so the spread is visible).
    expect(new Set(expected.map(([ref, index]) => minuteOf(ref, index))).size).toBe(3);
    // Nothing was alerted twice along the way.
    expect(h.alertsIn(BILLING_CHANNEL)).toHaveLength(1);
  });

  it('fills in check times once for orgs connected before the due index, at their own minute', async () => {
    for (const ref of [TEAM, farms.ref, sandbox.ref]) {
      const [org] = (await h.store.workspaces.get(ref)).orgs;
      await h.store.due.remove(ORG_CHECK_QUEUE, orgCheckMember(ref, org?.orgId ?? ''));
    }
    const scheduler = h.newAlertScheduler();
    expect((await scheduler.tick()).checks).toEqual([]);
    expect(await h.store.due.get(ORG_CHECK_QUEUE, orgCheckMember(TEAM, orgIdOf(0)))).toEqual(
      scheduler.nextCheckAt(TEAM, orgIdOf(0), h.clock.now()),
    );
    expect(await h.store.due.size(ORG_CHECK_QUEUE)).toBe(3);
    h.clock.advance(HOUR);
    expect((await scheduler.tick()).checks).toHaveLength(3);
  });

  it('refuses a bad concurrency, timeout or interval', () => {
    const runner = h.newAlertRunner();
    const base = { runner, store: h.store, budgets: h.budgets, logger: h.log.logger };
    expect(() => new AlertScheduler({ ...base, concurrency: 0 })).toThrow(RangeError);
    expect(() => new AlertScheduler({ ...base, checkTimeoutMs: -1 })).toThrow(RangeError);
    expect(() => new AlertScheduler({ ...base, intervalMinutes: 7 })).toThrow(RangeError);
  });
});

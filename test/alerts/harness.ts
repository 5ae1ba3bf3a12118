/**
 * The alert tests' setting: the digest harness (Viam emulator over gRPC, Slack stand-in over HTTP, a
 * real SQLite store, one clock for all) plus budgets, alert runners and the emulator overrides that
 * move an org's spend and invoices.
 */
import { type FixtureInvoice, type FixtureOrg, invoicesResponse, loadFixture, usageResponse } from '../../dev/emulator';
import { AlertRunner, type AlertRunnerOptions, type OrgTarget } from '../../src/alerts/runner';
import { AlertScheduler, type AlertSchedulerOptions } from '../../src/alerts/scheduler';
import { type Budget, Budgets } from '../../src/budgets/budgets';
import { ChannelPacer } from '../../src/digest/pacing';
import { findOrg, type WorkspaceRef } from '../../src/store';
import { ADA, BILLING_CHANNEL, type Harness, startHarness, TEAM } from '../digest/harness';

export { ADA, BILLING_CHANNEL, TEAM };

export const ALERT_EVENT = 'viam_billing_alert';

export interface AlertHarness extends Harness {
  budgets: Budgets;
  newAlertRunner(options?: Partial<AlertRunnerOptions>): AlertRunner;
  newAlertScheduler(options?: Partial<AlertSchedulerOptions>): AlertScheduler;
  setBudget(ref: WorkspaceRef, orgIndex: number, amount: number, channelId?: string): Promise<Budget>;
  /** What the scheduler would hand the runner for this workspace's org `label`. */
  target(ref: WorkspaceRef, label?: string): Promise<OrgTarget>;
  /** Serves month-to-date spend of `total` for emulator org `index`, spread over four categories. */
  setSpend(index: number, total: number): void;
  /** Serves these invoices (relative to the clock's month) for emulator org `index`. */
  setInvoices(index: number, invoices: FixtureInvoice[]): void;
  /** Alerts the bot posted in a channel, oldest first. */
  alertsIn(channelId: string): Array<{ ts: string; text: string; blocks?: unknown[]; runId: string }>;
}

const FIXTURE = loadFixture();

function fixtureOrg(index: number): FixtureOrg {
  const org = FIXTURE.orgs[index];
  if (!org) throw new Error(`no fixture org ${index}`);
  return org;
}

const cents = (amount: number) => Math.round(amount * 100);

/** Half compute, 30% storage, 15% data transfer and the rest other, to the cent. */
export function spendLines(total: number): FixtureOrg['usage'] {
  const compute = cents(total * 0.5);
  const storage = cents(total * 0.3);
  const transfer = cents(total * 0.15);
  const other = cents(total) - compute - storage - transfer;
  return [
    {
      source: 'org',
      tierName: '',
      discount: 0,
      costs: [
        { type: 'STANDARD_COMPUTE', cost: compute / 100 },
        { type: 'BINARY_DATA_CLOUD_STORAGE', cost: storage / 100 },
        { type: 'BINARY_DATA_EGRESS', cost: transfer / 100 },
        { type: 'REMOTE_CONTROL', cost: other / 100 },
      ],
    },
  ];
}

export async function startAlertHarness(start: string): Promise<AlertHarness> {
  const base = await startHarness({ start });
  const budgets = new Budgets(base.store, base.log.logger);
  const harness: AlertHarness = Object.assign(base, {
    budgets,
    newAlertRunner(options: Partial<AlertRunnerOptions> = {}) {
      return new AlertRunner({
        store: base.store,
        billing: base.billing,
        clientFor: base.clientFor,
        logger: base.log.logger,
        now: base.clock.now,
        pacer: new ChannelPacer({ now: base.clock.now, sleep: base.sleep }),
        ...options,
      });
    },
    newAlertScheduler(options: Partial<AlertSchedulerOptions> = {}) {
      return new AlertScheduler({
        runner: harness.newAlertRunner(),
        store: base.store,
        budgets,
        logger: base.log.logger,
        now: base.clock.now,
        ...options,
      });
    },
    async setBudget(ref: WorkspaceRef, orgIndex: number, amount: number, channelId = BILLING_CHANNEL) {
      const org = base.emulator.orgs[orgIndex];
      if (!org) throw new Error(`no emulator org ${orgIndex}`);
      return budgets.set(ref, {
        orgId: org.orgId,
        amount,
        channelId,
        setBy: ADA,
        setAt: base.clock.now().toISOString(),
      });
    },
    async target(ref: WorkspaceRef, label = 'acme'): Promise<OrgTarget> {
      const org = findOrg(await base.store.workspaces.get(ref), label);
      if (!org) throw new Error(`no org ${label}`);
      const budget = await budgets.get(ref, org.orgId);
      return { ref, org, timeZone: 'UTC', ...(budget ? { budget } : {}) };
    },
    setSpend(index: number, total: number) {
      const org = fixtureOrg(index);
      const response = usageResponse({ ...org, usage: spendLines(total) }, base.clock.now());
      base.emulator.knobs.setUsageResponse(org.orgId, response);
    },
    setInvoices(index: number, invoices: FixtureInvoice[]) {
      const org = fixtureOrg(index);
      base.emulator.knobs.setInvoicesResponse(org.orgId, invoicesResponse({ ...org, invoices }, base.clock.now()));
    },
    alertsIn(channelId: string) {
      return base.standIn.messagesIn(channelId).flatMap((message) => {
        const metadata = message.metadata as { event_type?: unknown; event_payload?: { run_id?: unknown } } | undefined;
        if (metadata?.event_type !== ALERT_EVENT) return [];
        return [
          {
            ts: message.ts,
            text: message.text ?? '',
            blocks: message.blocks,
            runId: String(metadata.event_payload?.run_id),
          },
        ];
      });
    },
  });
  return harness;
}

/**
 * `/viam-usage budget …` end to end: signed slash commands over HTTP into the real app, channel checks
 * and posts against the Slack stand-in, Viam reads over gRPC from the emulator, and the scheduled
 * alert check driven through the app's own scheduler, across a restart.
 */

import type { LocalStack } from '../../../dev/local-stack';
import { ALERT_BASELINE_RECORD, ALERT_RECORD } from '../../../src/alerts/ledger';
import { AUDIT_CAPACITY, type AuditEntry } from '../../../src/audit/trail';
import { projectionOf } from '../../../src/billing/projection';
import { CHANNELS, FIXED_NOW, messageText, SEED, USERS, useLocalStack, workspaceOf } from '../../support/stack';

const TEAM = { teamId: SEED.team.id };
const ALERT_EVENT_TYPE = 'viam_billing_alert';

const stackOf = useLocalStack(
  {},
  {
    async reset(stack) {
      const { store, budgets } = stack.app.services;
      const workspace = await store.workspaces.get(TEAM);
      for (const org of workspace.orgs) await budgets.remove(TEAM, org.orgId);
      for (const viewer of workspace.viewers) await store.workspaces.revokeViewer(TEAM, viewer);
      for (const type of [ALERT_RECORD, ALERT_BASELINE_RECORD] as const) {
        const records = store.records(type as typeof ALERT_RECORD);
        for (const { id } of (await records.list(TEAM)).records) await records.delete(TEAM, id);
      }
      // The audit trail is append-only, so a test reads only what was appended after its reset.
      auditBaseline = (await stack.app.services.audit.latest(TEAM, AUDIT_CAPACITY)).length;
      // Setting a budget in #random makes the bot join it; every test starts with it outside, as seeded.
      const random = stack.slack.workspace.channel(CHANNELS.random);
      if (random?.members.includes(SEED.botUserId))
        stack.slack.workspace.removeChannelMember(random.id, SEED.botUserId);
    },
  },
);

let auditBaseline = 0;

/** The audit entries this test appended, newest first. */
async function auditedInTest(): Promise<AuditEntry[]> {
  const entries = await stackOf().app.services.audit.latest(TEAM, AUDIT_CAPACITY);
  return entries.slice(0, entries.length - auditBaseline);
}

/** How Slack sends `#name` in a command when the manifest says should_escape. */
function ref(channelId: string): string {
  const channel = stackOf().slack.workspace.channel(channelId);
  if (!channel) throw new Error(`no stand-in channel ${channelId}`);
  return `<#${channel.id}|${channel.name}>`;
}

async function say(text: string, options: { user?: string; channel?: string } = {}): Promise<string> {
  const { ack, answer } = await stackOf().command(text, options);
  expect(ack.status).toBe(200);
  if (!answer) throw new Error(`no answer to "${text}"`);
  return messageText(answer.body);
}

async function demoOrgId(): Promise<string> {
  const org = (await workspaceOf(stackOf())).orgs[0];
  if (!org) throw new Error('the demo org is not connected');
  return org.orgId;
}

async function usageOfDemoOrg(stack: LocalStack) {
  const org = stack.emulator.orgs[0];
  if (!org) throw new Error('no emulator org');
  return stack.app.services.billing.getCurrentMonthUsage({ id: org.apiKeyId, key: org.apiKey }, org.orgId);
}

function money(amount: number): string {
  return `$${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function alertsIn(channelId: string) {
  return stackOf()
    .slack.messagesIn(channelId)
    .filter((message) => (message.metadata as { event_type?: unknown } | undefined)?.event_type === ALERT_EVENT_TYPE);
}

describe('/viam-usage budget', () => {
  it('sets the budget for the channel it runs in, answers with the standing, and audits it', async () => {
    const stack = stackOf();
    const usage = await usageOfDemoOrg(stack);
    const answer = await say('budget 1,500');
    expect(answer).toContain(
      `The monthly budget of \`default\` is now $1,500.00; alerts go to <#${CHANNELS.billing}>.`,
    );
    const spent = `${money(usage.subtotal)} (${Math.round((usage.subtotal / 1500) * 100)}%)`;
    expect(answer).toContain(`*Month to date*\n${spent}`);
    const projection = projectionOf(usage, FIXED_NOW, 1500);
    expect(answer).toContain(`*Projected month-end*\n${money(projection?.total ?? 0)}`);
    expect(answer).toContain('*Alerted this period:* nothing yet.');

    const orgId = await demoOrgId();
    expect(await stack.app.services.budgets.get(TEAM, orgId)).toEqual({
      orgId,
      amount: 1500,
      channelId: CHANNELS.billing,
      setBy: USERS.ada,
      setAt: FIXED_NOW.toISOString(),
      amountSetAt: FIXED_NOW.toISOString(),
    });
    expect(await auditedInTest()).toEqual([
      expect.objectContaining({
        action: 'budget.set',
        actor: USERS.ada,
        org: 'default',
        orgId,
        amount: 1500,
        channel: CHANNELS.billing,
      }),
    ]);
  });

  it('shows the budget to anyone who may view billing, and how to set one when there is none', async () => {
    const stack = stackOf();
    expect(await say('budget', { user: USERS.linus })).toContain('You don’t have access to Viam billing');
    await stack.app.services.store.workspaces.grantViewer(TEAM, USERS.linus);
    expect(await say('budget', { user: USERS.linus })).toContain(
      '`default` has no monthly budget. An admin can set one with `/viam-usage budget 1500 #billing`.',
    );
    await say(`budget 2000 ${ref(CHANNELS.finance)}`, { user: USERS.grace });
    const shown = await say('budget', { user: USERS.linus });
    expect(shown).toContain(`The monthly budget of \`default\` is $2,000.00; alerts go to <#${CHANNELS.finance}>.`);
    expect(shown).toContain(`Set by <@${USERS.grace}>`);
  });

  it('refuses people who may only view, and changes nothing', async () => {
    const stack = stackOf();
    await stack.app.services.store.workspaces.grantViewer(TEAM, USERS.linus);
    const answer = await say('budget 1000', { user: USERS.linus });
    expect(answer).toContain(
      'Only workspace admins and whoever connected an org can change Viam billing settings here.',
    );
    expect(await stack.app.services.budgets.listFor(TEAM)).toEqual([]);
    expect(await say('budget off', { user: USERS.linus })).toContain('Only workspace admins');
    expect(await auditedInTest()).toEqual([]);
  });

  it('checks the channel the way digests do: joins a public one, refuses private and archived ones it cannot post in', async () => {
    const stack = stackOf();
    expect(await say(`budget 900 ${ref(CHANNELS.leadership)}`)).toContain(
      `I cannot see <#${CHANNELS.leadership}>. If it is private, invite me with \`/invite @viam-billing\` first.`,
    );
    expect(await say(`budget 900 ${ref(CHANNELS.oldProjects)}`)).toContain(
      `<#${CHANNELS.oldProjects}> is archived; pick another channel.`,
    );
    expect(await stack.app.services.budgets.listFor(TEAM)).toEqual([]);

    expect(await say(`budget 900 ${ref(CHANNELS.random)}`)).toContain(`alerts go to <#${CHANNELS.random}>`);
    expect(stack.slack.workspace.channel(CHANNELS.random)?.members).toContain(SEED.botUserId);
  });

  it('refuses a direct message as the alert channel, saying what to do', async () => {
    const answer = await say('budget 900', { channel: 'D0ADADIRECT' });
    expect(answer).toContain(
      'Budget alerts go to a channel, not a direct message. Name one, e.g. `/viam-usage budget 1500 #billing`',
    );
    expect(await stackOf().app.services.budgets.listFor(TEAM)).toEqual([]);
  });

  it('explains an amount it cannot read and an org it does not know', async () => {
    expect(await say('budget lots')).toContain('`lots` is not an amount. Give the monthly budget in US dollars');
    expect(await say('budget 900 --org nowhere')).toContain('No connected org is called `nowhere`.');
  });

  it('turns the budget off and audits it; a second time there is nothing to remove', async () => {
    const stack = stackOf();
    await say('budget 900');
    expect(await say('budget off')).toContain('The monthly budget of `default` is removed; its alerts stop.');
    expect(await stack.app.services.budgets.listFor(TEAM)).toEqual([]);
    expect(await say('budget off')).toContain('`default` had no monthly budget, so there was nothing to remove.');
    expect((await auditedInTest()).map((entry) => entry.action)).toEqual(['budget.removed', 'budget.set']);
  });

  it('alerts through the app’s scheduler once, also after a restart, and the standing says what was alerted', async () => {
    const stack = stackOf();
    const usage = await usageOfDemoOrg(stack);
    // Half the budget is spent (and the demo org's last invoice is overdue and failed to charge).
    const amount = Math.floor(usage.subtotal * 1.6);
    await say(`budget ${amount}`);
    const first = await stack.app.services.alerts.scheduler.tick();
    expect(first.checks).toEqual([expect.objectContaining({ snapshot: 'recorded' })]);
    const alerts = alertsIn(CHANNELS.billing);
    expect(alerts.map((alert) => alert.text)).toEqual([
      expect.stringContaining(`Half of the monthly budget is spent: ${money(usage.subtotal)} of ${money(amount)}`),
      expect.stringContaining('A payment failed on the $268.55 invoice of Nov 1, 2026: The card was declined.'),
    ]);

    await stack.restartApp();
    // The restarted app checks the org again at its own minute of the next hour, and alerts nothing twice.
    const nextHour = new Date(FIXED_NOW.getTime() + 60 * 60_000);
    expect(await stack.app.services.alerts.scheduler.tick()).toMatchObject({ ran: true, checks: [] });
    const again = await stack.app.services.alerts.scheduler.tick(nextHour);
    expect(again.checks).toEqual([expect.objectContaining({ snapshot: 'recorded', alerts: [] })]);
    expect(alertsIn(CHANNELS.billing)).toHaveLength(2);

    expect(await say('budget')).toContain('*Alerted this period:* 50% spent.');
    const metrics = await stack.app.metrics.exposition();
    expect(metrics).toContain('viam_billing_alert_checks_total{outcome="ok"} 1');
  });
});

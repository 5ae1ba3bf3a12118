/**
 * The App Home tab end to end: signed `app_home_opened` events into the real app, Viam read over gRPC
 * from the emulator, and the `views.publish` payload read back from the Slack stand-in.
 */
import { appHomeOpenedEvent, sendEvent } from '../../../dev/slack-stand-in';
import {
  ACTION_HOME_ACCESS,
  ACTION_HOME_BUDGET,
  ACTION_HOME_CONNECT,
  ACTION_HOME_DIGESTS,
  ACTION_HOME_DISCONNECT,
  ACTION_HOME_SHARE_PDF,
  ACTION_SHARE_INVOICE_PDF,
} from '../../../src/blocks/ids';
import { HOME_CACHE_TTL_MS } from '../../../src/home/cache';
import { connectFarms, openHome, resetHomeState, TEAM } from '../../home/home-stack';
import {
  BILLING_READS,
  buttonsOf,
  CHANNELS,
  FIXED_NOW,
  messageText,
  SEED,
  USERS,
  useLocalStack,
  viamCalls,
} from '../../support/stack';

let clockMs = FIXED_NOW.getTime();
const now = () => new Date(clockMs);

const stackOf = useLocalStack(
  { now },
  {
    async reset(stack) {
      clockMs = FIXED_NOW.getTime();
      await resetHomeState(stack);
    },
  },
);

const MANAGER_BUTTONS = [
  ACTION_HOME_CONNECT,
  ACTION_HOME_ACCESS,
  ACTION_HOME_BUDGET,
  ACTION_HOME_DIGESTS,
  ACTION_HOME_DISCONNECT,
];

describe('app_home_opened', () => {
  it('shows a manager the month to date, projection, balance and the overdue invoice with its Share PDF button', async () => {
    const stack = stackOf();
    const view = await openHome(stack, USERS.ada);
    expect(view.type).toBe('home');
    const text = messageText(view.blocks);
    // The emulator's demo org at Nov 26, 15:00 UTC: $290.23 so far in a 30-day period, 25.625 days in.
    expect(text).toContain('*Month to date*\n$290.23\nNov 1 – Nov 30, 2026 · day 26 of 30');
    expect(text).toContain('*Projected month-end*\n$339.78');
    expect(text).toContain('*Budget*\nNo budget set');
    // Outstanding Nov 1 ($268.55) and payment-processing Oct 1 ($251.10) invoices.
    expect(text).toContain('*Outstanding balance*\n$519.65');
    expect(text).toContain(
      ':warning: *Overdue:* $268.55 invoice of Nov 1, 2026, due Nov 16, 2026. The card was declined.',
    );
    expect(text).toContain('*Weekly digests*\nNone for this org.');

    const buttons = buttonsOf(view);
    const share = buttons.filter((button) => button.actionId === ACTION_HOME_SHARE_PDF);
    expect(share).toEqual([
      {
        actionId: ACTION_HOME_SHARE_PDF,
        text: 'Share PDF',
        value: JSON.stringify({ org: 'default', invoice: 'in_1Q5dwGLzZ8juh4cDOAY1alln' }),
      },
    ]);
    // The message button's action would answer on a response URL, which a Home tab press has not.
    expect(buttons.map((button) => button.actionId)).not.toContain(ACTION_SHARE_INVOICE_PDF);
    expect(buttons.map((button) => button.actionId)).toEqual(expect.arrayContaining(MANAGER_BUTTONS));
    const disconnect = view.blocks
      .flatMap((block) => (block.elements as Record<string, unknown>[] | undefined) ?? [])
      .find((element) => element.action_id === ACTION_HOME_DISCONNECT);
    expect(disconnect?.confirm).toMatchObject({ confirm: { text: 'Disconnect' }, deny: { text: 'Cancel' } });
    expect(JSON.stringify(view)).not.toContain(stack.emulator.orgs[0]?.apiKey);
  });

  it('shows budget state and the digest schedules of each org', async () => {
    const stack = stackOf();
    const org = stack.emulator.orgs[0];
    if (!org) throw new Error('no demo org');
    await stack.app.services.budgets.set(TEAM, {
      orgId: org.orgId,
      amount: 500,
      channelId: CHANNELS.billing,
      setBy: USERS.ada,
      setAt: FIXED_NOW.toISOString(),
    });
    await stack.app.services.digests.schedules.set(TEAM, {
      channelId: CHANNELS.general,
      orgLabel: 'default',
      weekday: 'mon',
      time: '09:00',
      timeZone: 'Europe/Berlin',
      createdBy: USERS.ada,
      createdAt: FIXED_NOW.toISOString(),
    });
    const text = messageText((await openHome(stack, USERS.ada)).blocks);
    // $290.23 of $500 spent, $339.78 projected.
    expect(text).toContain(`*Budget*\n$500.00 a month\n58% spent · 68% projected\nAlerts in <#${CHANNELS.billing}>`);
    expect(text).toContain(
      `*Weekly digests*\n• <#${CHANNELS.general}> every Monday at 09:00, next Nov 30, 2026 09:00 (Europe/Berlin)`,
    );
  });

  it('shows a viewer the numbers without any button that changes settings', async () => {
    const stack = stackOf();
    await stack.app.services.store.workspaces.grantViewer(TEAM, USERS.linus);
    const view = await openHome(stack, USERS.linus);
    const text = messageText(view.blocks);
    expect(text).toContain('$290.23');
    // Linus reads dates in Helsinki.
    expect(text).toMatch(/As of Nov 26, 2026 17:00 \(Europe\/Helsinki\)/);
    const actions = buttonsOf(view).map((button) => button.actionId);
    expect(actions).toEqual([ACTION_HOME_SHARE_PDF]);
  });

  it('tells someone without access who to ask, in the slash command’s words, and shows the help', async () => {
    const stack = stackOf();
    await connectFarms(stack, USERS.grace);
    const view = await openHome(stack, USERS.mei);
    const text = messageText(view.blocks);
    expect(text).toContain(
      `You don’t have access to Viam billing in this workspace. Ask <@${USERS.grace}> to run \`/viam-usage access add @you\`.`,
    );
    expect(text).toContain('How to use /viam-usage');
    expect(text).not.toContain('$');
    expect(buttonsOf(view)).toEqual([]);
    expect(viamCalls(stack, BILLING_READS)).toBe(0);
  });

  it('says nothing is connected, with the Connect button only for someone who may connect', async () => {
    const stack = stackOf();
    // The reset before the next test connects it again.
    await stack.app.services.store.workspaces.disconnectOrg(TEAM, 'default');
    const forAdmin = await openHome(stack, USERS.grace);
    expect(messageText(forAdmin.blocks)).toContain('No Viam org is connected to this workspace yet.');
    expect(buttonsOf(forAdmin).map((button) => button.actionId)).toEqual([ACTION_HOME_CONNECT]);
    const forMember = await openHome(stack, USERS.linus);
    expect(messageText(forMember.blocks)).toContain('No Viam org is connected to this workspace yet.');
    expect(buttonsOf(forMember)).toEqual([]);
  });

  it('reuses Viam’s answers for a minute, then reads them again', async () => {
    const stack = stackOf();
    await openHome(stack, USERS.ada);
    const reads = ['GetCurrentMonthUsage', 'GetInvoicesSummary'] as const;
    const first = reads.map((method) => stack.emulator.knobs.callCount(method));
    expect(first).toEqual([1, 1]);

    clockMs += HOME_CACHE_TTL_MS - 1_000;
    await openHome(stack, USERS.ada);
    await openHome(stack, USERS.grace);
    expect(reads.map((method) => stack.emulator.knobs.callCount(method))).toEqual([1, 1]);

    clockMs += 2_000;
    const later = await openHome(stack, USERS.ada);
    expect(reads.map((method) => stack.emulator.knobs.callCount(method))).toEqual([2, 2]);
    expect(messageText(later.blocks)).toContain('$290.23');
  });

  it('shows a Viam failure of one org as one line in that org, and the rest as usual', async () => {
    const stack = stackOf();
    const rivet = await connectFarms(stack);
    stack.emulator.knobs.revokeKey(rivet.apiKeyId);
    const view = await openHome(stack, USERS.ada);
    const text = messageText(view.blocks);
    expect(text).toContain('$290.23');
    const headers = view.blocks.filter((block) => block.type === 'header').map((block) => messageText(block));
    expect(headers).toEqual(['Viam billing', 'default (default)', 'farms']);
    const farms = view.blocks.slice(view.blocks.findIndex((block) => messageText(block) === 'farms'));
    expect(messageText(farms[1])).toMatch(/^:warning: \*Billing could not be loaded:\* .+\.$/);
    expect(messageText(farms)).not.toContain('Outstanding balance');
    // A failed read is not cached: the next open asks Viam again.
    const before = stack.emulator.knobs.callCount('Authenticate');
    await openHome(stack, USERS.ada);
    expect(stack.emulator.knobs.callCount('Authenticate')).toBeGreaterThan(before);
  });

  it('keeps within Slack’s 100 blocks however many orgs are connected, naming the ones left out', async () => {
    const stack = stackOf();
    const org = stack.emulator.orgs[0];
    if (!org) throw new Error('no demo org');
    for (let index = 1; index < 20; index++) {
      await stack.app.services.store.workspaces.connectOrg(TEAM, {
        label: `acme-${index}`,
        orgId: org.orgId,
        apiKey: { id: org.apiKeyId, key: org.apiKey },
        connectedBy: USERS.ada,
      });
    }
    const view = await openHome(stack, USERS.ada);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(messageText(view.blocks)).toMatch(/…and \d+ more orgs not shown here: .*`acme-19`\. Use /);
  });

  it('ignores the Messages tab', async () => {
    const stack = stackOf();
    const ack = await sendEvent({
      appUrl: stack.appUrl,
      signingSecret: stack.slack.app.signingSecret,
      team: SEED.team.id,
      event: appHomeOpenedEvent({ user: USERS.ada, channel: 'D0ADAHOME0', tab: 'messages' }),
    });
    expect(ack.status).toBe(200);
    await openHome(stack, USERS.grace);
    expect(stack.slack.calls('views.publish').map((call) => call.args.user_id)).toEqual([USERS.grace]);
  });

  it('says in one sentence, with a request ID, when the tab cannot be drawn at all', async () => {
    const stack = stackOf();
    // Past the user-facts cache, so the app must ask Slack who Mei is, and Slack fails.
    clockMs += 10 * 60_000;
    stack.slack.failNext('users.info', 'internal_error');
    const view = await openHome(stack, USERS.mei);
    const text = messageText(view.blocks);
    expect(text).toContain(
      ':x: Something went wrong on our side. Try again, and tell your admin if it keeps happening.',
    );
    expect(text).toMatch(/Request ID `[0-9a-f]{8}`/);
  });
});

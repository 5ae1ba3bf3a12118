/** The Home tab's budget form submitted as Slack sends it: saved or removed, audited and shown, or refused inline. */
import { BUDGET_FORM, encodeButtonValue, VIEW_HOME_BUDGET } from '../../../src/blocks/ids';
import { budgetValues, republishedHome, resetHomeState, submitForm, TEAM } from '../../home/home-stack';
import { CHANNELS, FIXED_NOW, messageText, USERS, useLocalStack } from '../../support/stack';

const stackOf = useLocalStack({}, { reset: resetHomeState });
const DEFAULT_ORG = encodeButtonValue({ org: 'default' }) ?? '';

function orgId(): string {
  const org = stackOf().emulator.orgs[0];
  if (!org) throw new Error('no demo org');
  return org.orgId;
}

function submit(values: Parameters<typeof budgetValues>[0], options: { user?: string; org?: string } = {}) {
  return submitForm(stackOf(), VIEW_HOME_BUDGET, budgetValues(values), {
    user: options.user ?? USERS.ada,
    privateMetadata: options.org ?? DEFAULT_ORG,
  });
}

describe('Home budget form', () => {
  it('sets the budget, writes the audit entry and redraws the Home tab with it', async () => {
    const stack = stackOf();
    const ack = await submit({ amount: '$1,500', channel: CHANNELS.finance });
    expect(ack.json).toEqual({});
    expect(await stack.app.services.budgets.get(TEAM, orgId())).toMatchObject({
      amount: 1500,
      channelId: CHANNELS.finance,
      setBy: USERS.ada,
    });
    const [entry] = await stack.app.services.audit.latest(TEAM, 1);
    expect(entry).toMatchObject({ action: 'budget.set', actor: USERS.ada, org: 'default', amount: 1500 });
    const home = await republishedHome(stack, ack.after, USERS.ada);
    // $290.23 of $1,500 spent, $339.78 projected.
    expect(messageText(home.blocks)).toContain('*Budget*\n$1,500.00 a month\n19% spent · 23% projected');
  });

  it('removes the budget when asked, with an audit entry', async () => {
    const stack = stackOf();
    await stack.app.services.budgets.set(TEAM, {
      orgId: orgId(),
      amount: 400,
      channelId: CHANNELS.billing,
      setBy: USERS.ada,
      setAt: FIXED_NOW.toISOString(),
    });
    const ack = await submit({ amount: '400', channel: CHANNELS.billing, remove: true }, { user: USERS.grace });
    expect(ack.json).toEqual({});
    expect(await stack.app.services.budgets.get(TEAM, orgId())).toBeUndefined();
    const [entry] = await stack.app.services.audit.latest(TEAM, 1);
    expect(entry).toMatchObject({ action: 'budget.removed', actor: USERS.grace, org: 'default' });
    expect(messageText((await republishedHome(stack, ack.after, USERS.grace)).blocks)).toContain('No budget set');
  });

  it.each([
    [
      'an amount that is not one',
      { amount: 'lots', channel: CHANNELS.billing },
      BUDGET_FORM.amount.block,
      '"lots" is not an amount. Give the monthly budget in US dollars, e.g. 1500 or 1,500.50.',
    ],
    [
      'no amount',
      { channel: CHANNELS.billing },
      BUDGET_FORM.amount.block,
      'Give the monthly budget in US dollars, e.g. 1500 or 1,500.50.',
    ],
    [
      'an amount past the limit',
      { amount: '20000000', channel: CHANNELS.billing },
      BUDGET_FORM.amount.block,
      'A budget can be at most $10,000,000 a month. Check for an extra zero.',
    ],
    [
      'no channel',
      { amount: '1500' },
      BUDGET_FORM.channel.block,
      'Pick the channel where the budget alerts should go.',
    ],
    [
      'a private channel the app is not in',
      { amount: '1500', channel: CHANNELS.leadership },
      BUDGET_FORM.channel.block,
      'I cannot see that channel. If it is private, invite me with /invite @viam-billing first.',
    ],
  ])('answers %s with an error on the field to fix, and saves nothing', async (_case, values, block, sentence) => {
    const stack = stackOf();
    const ack = await submit(values);
    expect(ack.json).toEqual({ response_action: 'errors', errors: { [block]: sentence } });
    expect(await stack.app.services.budgets.get(TEAM, orgId())).toBeUndefined();
    expect(stack.slack.calls('views.publish').filter((call) => call.seq > ack.after)).toEqual([]);
  });

  it('says so when the org was disconnected while the form was open', async () => {
    const ack = await submit(
      { amount: '1500', channel: CHANNELS.billing },
      { org: encodeButtonValue({ org: 'gone' }) },
    );
    expect(ack.json).toEqual({
      response_action: 'errors',
      errors: {
        [BUDGET_FORM.amount.block]: 'That org is no longer connected. Close this form and open the Home tab again.',
      },
    });
  });

  it('refuses a member with a crafted submission, and saves nothing', async () => {
    const stack = stackOf();
    const ack = await submit({ amount: '1500', channel: CHANNELS.billing }, { user: USERS.mei });
    expect(ack.json).toMatchObject({ response_action: 'errors' });
    expect(Object.values(ack.json.errors as Record<string, string>)).toEqual([
      'Only workspace admins and whoever connected an org can change Viam billing settings here. Ask a workspace admin.',
    ]);
    expect(await stack.app.services.budgets.get(TEAM, orgId())).toBeUndefined();
  });
});

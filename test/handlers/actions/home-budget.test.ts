/** "Budget" on an org in the Home tab: the budget form for that org, prefilled when it has one. */
import { ACTION_HOME_BUDGET, BUDGET_FORM, encodeButtonValue, VIEW_HOME_BUDGET } from '../../../src/blocks/ids';
import { inputsOf, openedModal, pressHome, resetHomeState, TEAM } from '../../home/home-stack';
import { CHANNELS, FIXED_NOW, messageText, USERS, useLocalStack } from '../../support/stack';

const stackOf = useLocalStack({}, { reset: resetHomeState });
const DEFAULT_ORG = encodeButtonValue({ org: 'default' }) ?? '';

describe('Home: Budget', () => {
  it('opens an empty budget form for an org without a budget', async () => {
    const stack = stackOf();
    const modal = await openedModal(stack, await pressHome(stack, USERS.grace, ACTION_HOME_BUDGET, DEFAULT_ORG));
    expect(modal.callback_id).toBe(VIEW_HOME_BUDGET);
    expect(modal.private_metadata).toBe(DEFAULT_ORG);
    const inputs = inputsOf(modal);
    expect(Object.keys(inputs)).toEqual([BUDGET_FORM.amount.block, BUDGET_FORM.channel.block]);
    expect(inputs[BUDGET_FORM.amount.block]?.initial_value).toBeUndefined();
  });

  it('prefills the budget in place and offers to remove it', async () => {
    const stack = stackOf();
    const org = stack.emulator.orgs[0];
    if (!org) throw new Error('no demo org');
    await stack.app.services.budgets.set(TEAM, {
      orgId: org.orgId,
      amount: 1500.5,
      channelId: CHANNELS.finance,
      setBy: USERS.ada,
      setAt: FIXED_NOW.toISOString(),
    });
    const modal = await openedModal(stack, await pressHome(stack, USERS.ada, ACTION_HOME_BUDGET, DEFAULT_ORG));
    const inputs = inputsOf(modal);
    expect(inputs[BUDGET_FORM.amount.block]).toMatchObject({ initial_value: '1500.50' });
    expect(inputs[BUDGET_FORM.channel.block]).toMatchObject({ initial_conversation: CHANNELS.finance });
    expect(inputs[BUDGET_FORM.remove.block]).toMatchObject({ type: 'checkboxes' });
  });

  it('says so when the org is no longer connected', async () => {
    const stack = stackOf();
    const press = await pressHome(stack, USERS.ada, ACTION_HOME_BUDGET, encodeButtonValue({ org: 'gone' }) ?? '');
    const modal = await openedModal(stack, press);
    expect(messageText(modal.blocks)).toContain('No connected org is called `gone`.');
  });

  it('refuses a member, and opens no form', async () => {
    const stack = stackOf();
    const modal = await openedModal(stack, await pressHome(stack, USERS.linus, ACTION_HOME_BUDGET, DEFAULT_ORG));
    expect(modal.callback_id).toBeUndefined();
    expect(messageText(modal.blocks)).toContain('Only workspace admins and whoever connected an org can change');
  });
});

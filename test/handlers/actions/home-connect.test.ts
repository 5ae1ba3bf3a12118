/** "Connect an org" in the Home tab: the connect form for people who may connect, a refusal for others. */
import { ACTION_HOME_CONNECT, CONNECT_BLOCKS, VIEW_HOME_CONNECT_ORG } from '../../../src/blocks/ids';
import { inputsOf, openedModal, pressHome, resetHomeState } from '../../home/home-stack';
import { messageText, USERS, useLocalStack, workspaceOf } from '../../support/stack';

const stackOf = useLocalStack({}, { reset: resetHomeState });

describe('Home: Connect an org', () => {
  it('opens the connect form, whose submission refreshes the Home tab', async () => {
    const stack = stackOf();
    const press = await pressHome(stack, USERS.grace, ACTION_HOME_CONNECT, 'home');
    expect(press.ackStatus).toBe(200);
    const modal = await openedModal(stack, press);
    expect(modal.callback_id).toBe(VIEW_HOME_CONNECT_ORG);
    expect(modal.title?.text).toBe('Connect a Viam org');
    expect(Object.keys(inputsOf(modal)).sort()).toEqual(Object.values(CONNECT_BLOCKS).sort());
  });

  it('refuses a member in a small modal, and opens no form', async () => {
    const stack = stackOf();
    const press = await pressHome(stack, USERS.linus, ACTION_HOME_CONNECT, 'home');
    const modal = await openedModal(stack, press);
    expect(modal.callback_id).toBeUndefined();
    expect(messageText(modal.blocks)).toContain(
      'Only workspace admins and whoever connected an org can change Viam billing settings here.',
    );
    expect(stack.slack.calls('views.open')).toHaveLength(1);
    expect((await workspaceOf(stack)).orgs.map((org) => org.label)).toEqual(['default']);
  });
});

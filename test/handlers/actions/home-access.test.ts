/** "Who can see billing" in the Home tab: the access form prefilled with today's viewers. */
import { ACCESS_FORM, ACTION_HOME_ACCESS, VIEW_HOME_ACCESS } from '../../../src/blocks/ids';
import { connectFarms, inputsOf, openedModal, pressHome, resetHomeState, TEAM } from '../../home/home-stack';
import { messageText, USERS, useLocalStack } from '../../support/stack';

const stackOf = useLocalStack({}, { reset: resetHomeState });

describe('Home: Who can see billing', () => {
  it('opens the access form with the granted viewers picked and the connectors named', async () => {
    const stack = stackOf();
    await connectFarms(stack, USERS.grace);
    await stack.app.services.store.workspaces.grantViewer(TEAM, USERS.linus);
    const press = await pressHome(stack, USERS.ada, ACTION_HOME_ACCESS, 'home');
    const modal = await openedModal(stack, press);
    expect(modal.callback_id).toBe(VIEW_HOME_ACCESS);
    expect(inputsOf(modal)[ACCESS_FORM.viewers.block]).toMatchObject({
      type: 'multi_users_select',
      action_id: ACCESS_FORM.viewers.action,
      initial_users: [USERS.linus],
    });
    // The app itself connected `default` from the environment: it is nobody to name.
    expect(messageText(modal.blocks)).toContain(
      `Workspace admins and <@${USERS.grace}> (who connected an org) always see`,
    );
  });

  it('refuses a viewer, who may see billing but not change who else does', async () => {
    const stack = stackOf();
    await stack.app.services.store.workspaces.grantViewer(TEAM, USERS.linus);
    const press = await pressHome(stack, USERS.linus, ACTION_HOME_ACCESS, 'home');
    const modal = await openedModal(stack, press);
    expect(modal.callback_id).toBeUndefined();
    expect(messageText(modal.blocks)).toContain('Only workspace admins and whoever connected an org can change');
  });
});

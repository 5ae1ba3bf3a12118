/** "Disconnect" on an org in the Home tab: forgets the org and its key, audits it, redraws the tab. */
import { ACTION_HOME_DISCONNECT, encodeButtonValue } from '../../../src/blocks/ids';
import { connectFarms, openedModal, pressHome, republishedHome, resetHomeState, TEAM } from '../../home/home-stack';
import { messageText, USERS, useLocalStack, workspaceOf } from '../../support/stack';

const stackOf = useLocalStack({}, { reset: resetHomeState });
const FARMS = encodeButtonValue({ org: 'farms' }) ?? '';

describe('Home: Disconnect', () => {
  it('disconnects the org, writes the audit entry and redraws the Home tab without it', async () => {
    const stack = stackOf();
    const rivet = await connectFarms(stack);
    const press = await pressHome(stack, USERS.grace, ACTION_HOME_DISCONNECT, FARMS);
    const home = await republishedHome(stack, press.after, USERS.grace);
    expect((await workspaceOf(stack)).orgs.map((org) => org.label)).toEqual(['default']);
    const [entry] = await stack.app.services.audit.latest(TEAM, 1);
    expect(entry).toMatchObject({ action: 'org.disconnected', actor: USERS.grace, org: 'farms', orgId: rivet.orgId });
    const headers = home.blocks.filter((block) => block.type === 'header').map((block) => messageText(block));
    expect(headers).toEqual(['Viam billing', 'default']);
  });

  it('refuses a viewer, and the org stays connected', async () => {
    const stack = stackOf();
    await connectFarms(stack);
    await stack.app.services.store.workspaces.grantViewer(TEAM, USERS.linus);
    const modal = await openedModal(stack, await pressHome(stack, USERS.linus, ACTION_HOME_DISCONNECT, FARMS));
    expect(messageText(modal.blocks)).toContain('Only workspace admins and whoever connected an org can change');
    expect((await workspaceOf(stack)).orgs.map((org) => org.label)).toEqual(['default', 'farms']);
    expect(stack.slack.calls('views.publish')).toEqual([]);
  });
});

/** "Share PDF" on an invoice in the Home tab: asks which channel, for anyone who may see billing. */
import { ACTION_HOME_SHARE_PDF, encodeButtonValue, SHARE_PDF_FORM, VIEW_HOME_SHARE_PDF } from '../../../src/blocks/ids';
import { inputsOf, openedModal, pressHome, resetHomeState, TEAM } from '../../home/home-stack';
import { messageText, USERS, useLocalStack } from '../../support/stack';

const stackOf = useLocalStack({}, { reset: resetHomeState });
const INVOICE = 'in_1Q5dwGLzZ8juh4cDOAY1alln';
const VALUE = encodeButtonValue({ org: 'default', invoice: INVOICE }) ?? '';

describe('Home: Share PDF', () => {
  it('asks a viewer which channel the PDF goes to', async () => {
    const stack = stackOf();
    await stack.app.services.store.workspaces.grantViewer(TEAM, USERS.linus);
    const modal = await openedModal(stack, await pressHome(stack, USERS.linus, ACTION_HOME_SHARE_PDF, VALUE));
    expect(modal.callback_id).toBe(VIEW_HOME_SHARE_PDF);
    expect(modal.private_metadata).toBe(VALUE);
    expect(inputsOf(modal)[SHARE_PDF_FORM.channel.block]).toMatchObject({ type: 'conversations_select' });
    expect(messageText(modal.blocks)).toContain(`Share the PDF of invoice \`${INVOICE}\` of \`default\``);
  });

  it('tells someone without access who to ask', async () => {
    const stack = stackOf();
    const modal = await openedModal(stack, await pressHome(stack, USERS.mei, ACTION_HOME_SHARE_PDF, VALUE));
    expect(modal.callback_id).toBeUndefined();
    expect(messageText(modal.blocks)).toContain('You don’t have access to Viam billing in this workspace.');
  });

  it('calls a button without an invoice out of date', async () => {
    const stack = stackOf();
    const press = await pressHome(stack, USERS.ada, ACTION_HOME_SHARE_PDF, encodeButtonValue({ org: 'default' }) ?? '');
    const modal = await openedModal(stack, press);
    expect(messageText(modal.blocks)).toContain('That button is out of date. Open the Home tab again.');
  });
});

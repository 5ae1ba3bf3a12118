/** The connect form opened from the Home tab: the slash command's checks, then the Home tab redrawn. */
import { CONNECT_BLOCKS, VIEW_HOME_CONNECT_ORG } from '../../../src/blocks/ids';
import { republishedHome, resetHomeState, submitForm, TEAM } from '../../home/home-stack';
import { connectValues, messageText, USERS, useLocalStack, workspaceOf } from '../../support/stack';

const stackOf = useLocalStack({}, { reset: resetHomeState });

function rivet() {
  const org = stackOf().emulator.orgs[1];
  if (!org) throw new Error('no second org');
  return org;
}

describe('Home connect form', () => {
  it('connects the org, audits it, and redraws the Home tab with it', async () => {
    const stack = stackOf();
    const org = rivet();
    const ack = await submitForm(
      stack,
      VIEW_HOME_CONNECT_ORG,
      connectValues({ orgId: org.orgId, apiKeyId: org.apiKeyId, apiKey: org.apiKey, label: 'farms' }),
      { user: USERS.grace, privateMetadata: '{}' },
    );
    expect(ack.json.response_action).toBe('update');
    expect((await workspaceOf(stack)).orgs.map((known) => known.label)).toEqual(['default', 'farms']);
    const home = await republishedHome(stack, ack.after, USERS.grace);
    expect(home.blocks.filter((block) => block.type === 'header').map((block) => messageText(block))).toEqual([
      'Viam billing',
      'default (default)',
      'farms',
    ]);
    const [entry] = await stack.app.services.audit.latest(TEAM, 1);
    expect(entry).toMatchObject({ action: 'org.connected', actor: USERS.grace, org: 'farms' });
  });

  it('keeps the form open with the error, and leaves the Home tab alone, when the key is wrong', async () => {
    const stack = stackOf();
    const org = rivet();
    const ack = await submitForm(
      stack,
      VIEW_HOME_CONNECT_ORG,
      connectValues({ orgId: org.orgId, apiKeyId: org.apiKeyId, apiKey: 'not-the-right-secret', label: 'farms' }),
      { user: USERS.grace, privateMetadata: '{}' },
    );
    expect(ack.json).toEqual({
      response_action: 'errors',
      errors: {
        [CONNECT_BLOCKS.apiKey]: 'Viam did not accept this API key ID and key. Check both, or create a new key.',
      },
    });
    expect((await workspaceOf(stack)).orgs.map((known) => known.label)).toEqual(['default']);
    expect(stack.slack.calls('views.publish')).toEqual([]);
  });

  it('refuses a member', async () => {
    const stack = stackOf();
    const org = rivet();
    const ack = await submitForm(
      stack,
      VIEW_HOME_CONNECT_ORG,
      connectValues({ orgId: org.orgId, apiKeyId: org.apiKeyId, apiKey: org.apiKey, label: 'farms' }),
      { user: USERS.linus, privateMetadata: '{}' },
    );
    expect(ack.json.response_action).toBe('errors');
    expect((await workspaceOf(stack)).orgs.map((known) => known.label)).toEqual(['default']);
  });
});

/** The Home tab's access form: the people submitted become the viewers, each change audited. */
import { ACCESS_FORM, VIEW_HOME_ACCESS } from '../../../src/blocks/ids';
import { accessValues, openHome, republishedHome, resetHomeState, submitForm, TEAM } from '../../home/home-stack';
import { USERS, useLocalStack, workspaceOf } from '../../support/stack';

const stackOf = useLocalStack({}, { reset: resetHomeState });

function submit(users: string[], user: string = USERS.ada) {
  return submitForm(stackOf(), VIEW_HOME_ACCESS, accessValues(users), { user });
}

describe('Home access form', () => {
  it('grants and revokes the difference, audits each change, and redraws the Home tab', async () => {
    const stack = stackOf();
    const first = await submit([USERS.linus, USERS.mei]);
    expect(first.json).toEqual({});
    expect((await workspaceOf(stack)).viewers).toEqual([USERS.linus, USERS.mei]);
    await republishedHome(stack, first.after, USERS.ada);

    const second = await submit([USERS.mei]);
    expect(second.json).toEqual({});
    expect((await workspaceOf(stack)).viewers).toEqual([USERS.mei]);
    const entries = await stack.app.services.audit.latest(TEAM, 3);
    expect(entries.map((entry) => [entry.action, entry.subject, entry.actor])).toEqual([
      ['access.revoked', USERS.linus, USERS.ada],
      ['access.granted', USERS.mei, USERS.ada],
      ['access.granted', USERS.linus, USERS.ada],
    ]);
    // Mei now sees billing in her own Home tab; Linus no longer does.
    await republishedHome(stack, second.after, USERS.ada);
    expect(JSON.stringify((await openHome(stack, USERS.mei)).blocks)).toContain('Month to date');
    expect(JSON.stringify((await openHome(stack, USERS.linus)).blocks)).toContain('have access to Viam billing');
  });

  it('refuses a viewer, and nobody’s access changes', async () => {
    const stack = stackOf();
    await stack.app.services.store.workspaces.grantViewer(TEAM, USERS.linus);
    const ack = await submit([USERS.linus, USERS.mei], USERS.linus);
    expect(ack.json).toEqual({
      response_action: 'errors',
      errors: {
        [ACCESS_FORM.viewers.block]:
          'Only workspace admins and whoever connected an org can change Viam billing settings here. Ask a workspace admin.',
      },
    });
    expect((await workspaceOf(stack)).viewers).toEqual([USERS.linus]);
  });

  it('refuses something that is not a person', async () => {
    const ack = await submit(['C0GENERAL0']);
    expect(ack.json).toEqual({
      response_action: 'errors',
      errors: { [ACCESS_FORM.viewers.block]: 'Pick people from the list.' },
    });
  });
});

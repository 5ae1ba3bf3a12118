import { accessModal, readAccessForm } from '../../src/blocks/home-access-modal';
import { ACCESS_FORM, VIEW_HOME_ACCESS } from '../../src/blocks/ids';
import { blockText, expectValidView } from './helpers';

describe('accessModal', () => {
  it('prefills the viewers and names the connectors, who always have access', () => {
    const view = accessModal({ viewers: ['U0LINUS', 'not-a-user'], connectors: ['U0GRACE', 'U0GRACE'] });
    expectValidView(view);
    expect(view.callback_id).toBe(VIEW_HOME_ACCESS);
    const [input] = view.blocks.filter((block) => block.type === 'input');
    expect(input).toMatchObject({
      block_id: ACCESS_FORM.viewers.block,
      optional: true,
      element: { type: 'multi_users_select', initial_users: ['U0LINUS'] },
    });
    expect(blockText(view)).toContain(
      'Workspace admins and <@U0GRACE> (who connected an org) always see Viam billing.',
    );
  });

  it('names at most five connectors', () => {
    const connectors = Array.from({ length: 8 }, (_, index) => `U0PERSON${index}`);
    expect(blockText(accessModal({ viewers: [], connectors }))).toContain('<@U0PERSON4> and 3 more');
  });
});

describe('readAccessForm', () => {
  it('reads the people picked, each once', () => {
    expect(
      readAccessForm({
        [ACCESS_FORM.viewers.block]: { [ACCESS_FORM.viewers.action]: { selected_users: ['U1', 'U1', 'U2'] } },
      }),
    ).toEqual({ viewerIds: ['U1', 'U2'] });
    expect(readAccessForm({})).toEqual({ viewerIds: [] });
  });
});

import { budgetModal, readBudgetForm } from '../../src/blocks/home-budget-modal';
import { BUDGET_FORM, VIEW_HOME_BUDGET } from '../../src/blocks/ids';
import { blockText, expectValidView } from './helpers';

const inputBlocks = (view: ReturnType<typeof budgetModal>) =>
  (view.blocks as unknown as Record<string, unknown>[]).filter((block) => block.type === 'input');
const blockIds = (view: ReturnType<typeof budgetModal>) => inputBlocks(view).map((block) => block.block_id);

describe('budgetModal', () => {
  it('asks for an amount and a channel for an org without a budget', () => {
    const view = budgetModal({ orgLabel: 'acme', privateMetadata: '{"org":"acme"}' });
    expectValidView(view);
    expect(view).toMatchObject({ callback_id: VIEW_HOME_BUDGET, private_metadata: '{"org":"acme"}' });
    expect(blockIds(view)).toEqual([BUDGET_FORM.amount.block, BUDGET_FORM.channel.block]);
    expect(blockText(view)).toContain('Monthly budget for `acme`.');
  });

  it('prefills a budget in place, and offers to remove it', () => {
    const view = budgetModal({
      orgLabel: 'acme',
      budget: { amount: 1500, channelId: 'G0FINANCE0' },
      privateMetadata: '{}',
    });
    expectValidView(view);
    expect(blockIds(view)).toEqual([BUDGET_FORM.amount.block, BUDGET_FORM.channel.block, BUDGET_FORM.remove.block]);
    const elements = inputBlocks(view).map((block) => block.element);
    expect(elements[0]).toMatchObject({ initial_value: '1500' });
    expect(elements[1]).toMatchObject({ initial_conversation: 'G0FINANCE0' });
  });

  it('offers removal of a budget that can no longer be read', () => {
    const view = budgetModal({ orgLabel: 'acme', unreadable: true, privateMetadata: '{}' });
    expect(blockIds(view)).toContain(BUDGET_FORM.remove.block);
    expect(blockText(view)).toContain('could not be read');
  });

  it('refuses metadata longer than Slack keeps', () => {
    expect(() => budgetModal({ orgLabel: 'acme', privateMetadata: 'x'.repeat(3001) })).toThrow(RangeError);
  });
});

describe('readBudgetForm', () => {
  it('reads the amount as typed, the channel, and whether to remove', () => {
    expect(
      readBudgetForm({
        [BUDGET_FORM.amount.block]: { [BUDGET_FORM.amount.action]: { value: ' 1,500 ' } },
        [BUDGET_FORM.channel.block]: { [BUDGET_FORM.channel.action]: { selected_conversation: 'C0BILLING0' } },
        [BUDGET_FORM.remove.block]: { [BUDGET_FORM.remove.action]: { selected_options: [{ value: 'remove' }] } },
      }),
    ).toEqual({ amount: '1,500', channelId: 'C0BILLING0', remove: true });
    expect(readBudgetForm({})).toEqual({ amount: '', channelId: undefined, remove: false });
  });
});

/**
 * The Home tab's budget form for one org: the monthly amount and the channel its alerts go to, or
 * removing it. The org travels in `private_metadata`; the submission checks it is still connected.
 */
import { context, section } from './build';
import { inlineCode } from './format';
import { inputBlock, plainText, readChecked, readConversation, readText, type SubmittedValues } from './home-form';
import { BUDGET_FORM, VIEW_HOME_BUDGET } from './ids';
import { SLACK_LIMITS } from './limits';
import type { ModalView } from './message';

export interface BudgetModalOptions {
  orgLabel: string;
  /** The budget in place, prefilled; undefined when the org has none. */
  budget?: { amount: number; channelId: string };
  /** A budget is saved but can no longer be read: it can only be removed, or set afresh. */
  unreadable?: boolean;
  /** Caller's JSON naming the org; at most 3000 characters. */
  privateMetadata: string;
}

export interface BudgetFormValues {
  /** As typed, e.g. `1,500`; checked by the caller. */
  amount: string;
  channelId?: string;
  remove: boolean;
}

const REMOVE_VALUE = 'remove';

/** `1500` or `1500.50`: what a person would type, without a currency sign or separators. */
function amountText(amount: number): string {
  return Number.isInteger(amount) ? String(amount) : amount.toFixed(2);
}

export function budgetModal(options: BudgetModalOptions): ModalView {
  if (options.privateMetadata.length > SLACK_LIMITS.privateMetadata) {
    throw new RangeError(`private_metadata is longer than ${SLACK_LIMITS.privateMetadata} characters`);
  }
  const { budget } = options;
  const blocks = [
    section(
      `Monthly budget for ${inlineCode(options.orgLabel)}. Alerts go to the channel when month-to-date spend passes 50%, 80% and 100% of it, and when the projected month-end total will exceed it.`,
    ),
    inputBlock({
      input: BUDGET_FORM.amount,
      label: 'Budget per month (US dollars)',
      element: {
        type: 'plain_text_input',
        placeholder: plainText('e.g. 1500'),
        max_length: 20,
        ...(budget ? { initial_value: amountText(budget.amount) } : {}),
      },
      optional: true,
    }),
    inputBlock({
      input: BUDGET_FORM.channel,
      label: 'Alert channel',
      element: {
        type: 'conversations_select',
        placeholder: plainText('Pick a channel'),
        filter: { include: ['public', 'private'], exclude_bot_users: true },
        ...(budget ? { initial_conversation: budget.channelId } : {}),
      },
      hint: 'Public channels are joined automatically; invite the app to a private one first.',
      optional: true,
    }),
  ];
  if (options.unreadable) {
    blocks.push(context('This org’s saved budget could not be read. Remove it below, then set a new one.'));
  }
  if (budget || options.unreadable) {
    blocks.push(
      inputBlock({
        input: BUDGET_FORM.remove,
        label: 'Remove',
        element: {
          type: 'checkboxes',
          options: [{ text: plainText('Remove this budget: its alerts stop', 75), value: REMOVE_VALUE }],
        },
        optional: true,
      }),
    );
  } else {
    blocks.push(context('This org has no budget yet. Amounts like 1500, 1,500.50 or 1.5k work.'));
  }
  return {
    type: 'modal',
    callback_id: VIEW_HOME_BUDGET,
    private_metadata: options.privateMetadata,
    title: plainText('Monthly budget', SLACK_LIMITS.modalTitle),
    submit: plainText('Save', SLACK_LIMITS.modalButton),
    close: plainText('Cancel', SLACK_LIMITS.modalButton),
    blocks,
  };
}

export function readBudgetForm(values: SubmittedValues): BudgetFormValues {
  return {
    amount: readText(values, BUDGET_FORM.amount),
    channelId: readConversation(values, BUDGET_FORM.channel),
    remove: readChecked(values, BUDGET_FORM.remove).includes(REMOVE_VALUE),
  };
}

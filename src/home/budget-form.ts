/**
 * Checks a submitted budget form before anything is saved. Pure: whether the app can post in the
 * alert channel is asked of Slack by the caller once these checks pass.
 */
import type { BudgetFormValues } from '../blocks/home-budget-modal';
import type { BudgetFormField } from '../blocks/ids';
import { MAX_BUDGET } from '../budgets/budgets';
import { CHANNEL_ID } from '../digest/schedules';
import { parseAmount } from '../handlers/commands/parse';

export type BudgetFormCheck =
  | { ok: true; change: { action: 'remove' } | { action: 'set'; amount: number; channelId: string } }
  | { ok: false; problems: Partial<Record<BudgetFormField, string>> };

const EXAMPLE = 'e.g. 1500 or 1,500.50';

export function checkBudgetForm(form: BudgetFormValues, hasBudget: boolean): BudgetFormCheck {
  if (form.remove) {
    return hasBudget
      ? { ok: true, change: { action: 'remove' } }
      : { ok: false, problems: { remove: 'This org has no budget to remove any more.' } };
  }
  const problems: Partial<Record<BudgetFormField, string>> = {};
  const amount = form.amount === '' ? undefined : parseAmount(form.amount);
  if (form.amount === '') {
    problems.amount = `Give the monthly budget in US dollars, ${EXAMPLE}.`;
  } else if (amount === undefined) {
    problems.amount = `"${Array.from(form.amount).slice(0, 20).join('')}" is not an amount. Give the monthly budget in US dollars, ${EXAMPLE}.`;
  } else if (amount > MAX_BUDGET) {
    problems.amount = `A budget can be at most $${MAX_BUDGET.toLocaleString('en-US')} a month. Check for an extra zero.`;
  }
  if (form.channelId === undefined) problems.channel = 'Pick the channel where the budget alerts should go.';
  else if (!CHANNEL_ID.test(form.channelId)) problems.channel = 'Pick a channel: alerts cannot go to a direct message.';
  if (amount === undefined || form.channelId === undefined || Object.keys(problems).length > 0) {
    return { ok: false, problems };
  }
  return { ok: true, change: { action: 'set', amount, channelId: form.channelId } };
}

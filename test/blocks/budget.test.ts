import { projectionOf } from '../../src/billing/projection';
import { renderBudgetRemoved, renderBudgetStanding, renderNoBudget } from '../../src/blocks/budget';
import type { Budget } from '../../src/budgets/budgets';
import { ctx, LONG_NASTY, NOW, usageReport } from './fixtures';
import { blockText, expectValid } from './helpers';

const budget: Budget = {
  orgId: usageReport.orgId,
  amount: 1000,
  channelId: 'C0BILLING0',
  setBy: 'U0ADAOWNER',
  setAt: '2026-11-03T14:00:00.000Z',
  amountSetAt: '2026-11-03T14:00:00.000Z',
};

describe('renderBudgetStanding', () => {
  const projection = projectionOf(usageReport, NOW, budget.amount);

  it('shows the budget, its channel, spend and projection against it, and what was alerted', () => {
    const message = renderBudgetStanding(
      {
        budget,
        usage: usageReport,
        alerted: ['spent-50', 'spent-80', 'projected-over'],
        ...(projection ? { projection } : {}),
      },
      ctx,
    );
    expectValid(message);
    const text = blockText(message);
    expect(text).toContain('Monthly budget · Acme Robotics');
    expect(text).toContain('*Budget*\n$1,000.00 a month');
    expect(text).toContain('*Alerts in*\n<#C0BILLING0>');
    expect(text).toContain('*Month to date*\n$911.60 (91%)');
    const total = projection?.total ?? 0;
    expect(text).toContain(
      `*Projected month-end*\n${money(total)} (${Math.round(total / 10)}% of budget, ${money(total - 1000)} over)`,
    );
    expect(text).toContain('*Billing period*\nNov 1 – Nov 30, 2026 · day 26 of 30');
    expect(text).toContain('*Alerted this period:* 50% spent, 80% spent, projected over budget.');
    expect(text).toContain('Set by <@U0ADAOWNER> on Nov 3, 2026');
    expect(text).toContain('`/viam-usage budget &lt;amount&gt; #channel`');
    expect(message.text).toBe(
      'The monthly budget of `Acme Robotics` is $1,000.00; alerts go to <#C0BILLING0>. $911.60 (91%) spent of $1,000.00.',
    );
  });

  it('opens with the confirmation when the budget was just set, and says when nothing was alerted', () => {
    const message = renderBudgetStanding(
      { budget: { ...budget, amount: 5000 }, usage: usageReport, alerted: [] },
      ctx,
      true,
    );
    expectValid(message);
    const text = blockText(message);
    expect(text).toContain(
      ':white_check_mark: The monthly budget of `Acme Robotics` is now $5,000.00; alerts go to <#C0BILLING0>.',
    );
    expect(text).toContain('*Alerted this period:* nothing yet.');
    expect(text).toContain('*Projected month-end*\nToo early in the period to project');
    expect(message.text.startsWith('The monthly budget of `Acme Robotics` is now $5,000.00')).toBe(true);
  });

  it('still answers with the budget when Viam could not be read', () => {
    const message = renderBudgetStanding(
      { budget, usage: { error: 'Viam could not be reached. Try again in a minute.' }, alerted: [] },
      { ...ctx, orgLabel: LONG_NASTY },
    );
    expectValid(message);
    const text = blockText(message);
    expect(text).toContain('*Budget*\n$1,000.00 a month');
    expect(text).toContain('could not be read just now: Viam could not be reached. Try again in a minute.');
    expect(text).not.toContain('Month to date');
  });
});

describe('renderNoBudget and renderBudgetRemoved', () => {
  it('tells how to set a budget and what it does', () => {
    const message = renderNoBudget('acme');
    expectValid(message);
    expect(message.text).toContain(
      '`acme` has no monthly budget. An admin can set one with `/viam-usage budget 1500 #billing`.',
    );
    expect(message.text).toContain('50%, 80% and 100%');
  });

  it('says whether there was a budget to remove', () => {
    expect(renderBudgetRemoved('acme', true).text).toContain(
      'The monthly budget of `acme` is removed; its alerts stop.',
    );
    expect(renderBudgetRemoved('acme', false).text).toBe(
      '`acme` had no monthly budget, so there was nothing to remove.',
    );
    expectValid(renderBudgetRemoved(LONG_NASTY, true));
  });
});

function money(amount: number): string {
  return `$${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

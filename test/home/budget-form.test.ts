import { checkBudgetForm } from '../../src/home/budget-form';

describe('checkBudgetForm', () => {
  it.each([
    ['1500', 1500],
    ['$1,500.50', 1500.5],
    ['1.5k', 1500],
    ['10000000', 10_000_000],
  ])('reads %s as $%d a month', (amount, dollars) => {
    expect(checkBudgetForm({ amount, channelId: 'C0BILLING0', remove: false }, false)).toEqual({
      ok: true,
      change: { action: 'set', amount: dollars, channelId: 'C0BILLING0' },
    });
  });

  it.each([
    ['', 'Give the monthly budget in US dollars, e.g. 1500 or 1,500.50.'],
    ['0', '"0" is not an amount. Give the monthly budget in US dollars, e.g. 1500 or 1,500.50.'],
    ['-5', '"-5" is not an amount. Give the monthly budget in US dollars, e.g. 1500 or 1,500.50.'],
    ['10000000.01', 'A budget can be at most $10,000,000 a month. Check for an extra zero.'],
  ])('refuses the amount %j', (amount, problem) => {
    expect(checkBudgetForm({ amount, channelId: 'C0BILLING0', remove: false }, false)).toEqual({
      ok: false,
      problems: { amount: problem },
    });
  });

  it('wants a channel, not a direct message', () => {
    expect(checkBudgetForm({ amount: '100', remove: false }, false)).toEqual({
      ok: false,
      problems: { channel: 'Pick the channel where the budget alerts should go.' },
    });
    expect(checkBudgetForm({ amount: '100', channelId: 'D0DIRECT00', remove: false }, false)).toEqual({
      ok: false,
      problems: { channel: 'Pick a channel: alerts cannot go to a direct message.' },
    });
  });

  it('removes whatever the other fields say, when there is a budget to remove', () => {
    expect(checkBudgetForm({ amount: 'junk', remove: true }, true)).toEqual({ ok: true, change: { action: 'remove' } });
    expect(checkBudgetForm({ amount: '', remove: true }, false)).toEqual({
      ok: false,
      problems: { remove: 'This org has no budget to remove any more.' },
    });
  });
});

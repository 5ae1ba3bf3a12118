import type { Invoice } from '../../src/billing/model';
import { projectionOf } from '../../src/billing/projection';
import { describeThreshold, renderBudgetAlert, renderInvoiceAlert } from '../../src/blocks/alerts';
import { ACTION_SHARE_INVOICE_PDF, ACTION_SHOW_USAGE } from '../../src/blocks/ids';
import { invoices, LONG_NASTY, NOW, usageReport, zeroUsageReport } from './fixtures';
import { blockText, buttons, expectValid } from './helpers';

const ctx = { orgLabel: 'acme', timeZone: 'America/New_York', now: NOW };
const latest = invoices[0] as Invoice;

describe('renderBudgetAlert', () => {
  const projection = projectionOf(usageReport, NOW, 1000);

  it('says what crossed and by how much, the projection, and the three biggest categories', () => {
    const message = renderBudgetAlert(
      { threshold: 'spent-80', budget: 1000, usage: usageReport, projection, latestInvoice: latest },
      ctx,
    );
    expectValid(message);
    const text = blockText(message);
    expect(text).toContain('Budget alert · acme');
    expect(text).toContain('*80% of the monthly budget is spent*: $911.60 of $1,000.00 (91%).');
    expect(text).toContain('*Month to date*\n$911.60 (91% of budget)');
    expect(text).toContain(`*Projected month-end*\n${formatted(projection?.total)}`);
    expect(text).toContain('*Billing period*\nNov 1 – Nov 30, 2026 · day 26 of 30');
    // Storage 300 + 120.10 + 32, compute 210 + 55.50, other 18 + 120, data transfer 48 + 20.
    expect(text).toContain('• Storage: $452.10 (50%)\n• Compute: $265.50 (29%)\n• Other: $138.00 (15%)');
    expect(text).not.toContain('Data transfer');
    expect(message.text).toBe(
      `Budget alert for acme: 80% of the monthly budget is spent: $911.60 of $1,000.00 (91%). Projected month-end ${formatted(projection?.total)}.`,
    );
  });

  it('carries Show usage for the org and Share PDF for the latest invoice', () => {
    const message = renderBudgetAlert(
      { threshold: 'spent-50', budget: 1500, usage: usageReport, latestInvoice: latest },
      ctx,
    );
    expect(buttons(message).map((button) => [button.action_id, button.value])).toEqual([
      [ACTION_SHOW_USAGE, '{"org":"acme"}'],
      [ACTION_SHARE_INVOICE_PDF, JSON.stringify({ org: 'acme', invoice: latest.id })],
    ]);
    const alone = renderBudgetAlert({ threshold: 'spent-50', budget: 1500, usage: usageReport }, ctx);
    expect(buttons(alone).map((button) => button.action_id)).toEqual([ACTION_SHOW_USAGE]);
  });

  it('words each threshold', () => {
    const say = (threshold: Parameters<typeof renderBudgetAlert>[0]['threshold'], budget: number) =>
      renderBudgetAlert(
        { threshold, budget, usage: usageReport, projection: projectionOf(usageReport, NOW, budget) },
        ctx,
      ).text;
    expect(say('spent-50', 1800)).toContain('Half of the monthly budget is spent: $911.60 of $1,800.00 (51%).');
    expect(say('spent-100', 900)).toContain('The monthly budget is used up: $911.60 of $900.00 (101%), $11.60 over.');
    expect(say('spent-100', 911.6)).toContain('The monthly budget is used up: $911.60 of $911.60 (100%).');
    const over = projectionOf(usageReport, NOW, 1000)?.total ?? 0;
    expect(say('projected-over', 1000)).toContain(
      `Spend is on course to exceed the monthly budget: ${formatted(over)} projected by the end of the period, ${Math.round(over / 10)}% of $1,000.00 (${formatted(over - 1000)} over). Spent so far: $911.60 of $1,000.00 (91%).`,
    );
  });

  it('says when it is too early to project and when nothing is used yet', () => {
    const message = renderBudgetAlert({ threshold: 'spent-50', budget: 0.01, usage: zeroUsageReport }, ctx);
    expectValid(message);
    expect(blockText(message)).toContain('Too early in the period to project');
    expect(blockText(message)).toContain('No usage by category yet this period.');
  });

  it('stays within Slack’s limits and escapes a hostile org label', () => {
    const message = renderBudgetAlert(
      { threshold: 'spent-80', budget: 1000, usage: usageReport, projection, latestInvoice: latest },
      { ...ctx, orgLabel: LONG_NASTY },
    );
    expectValid(message);
    expect(message.text).toContain('Budget alert for &lt;Acme &amp; Sons&gt;');
    // Mrkdwn escapes it (expectValid checks every mrkdwn text); the plain-text header shows it as typed.
    expect(blockText(message)).toContain('Alerts for `&lt;Acme &amp; Sons&gt;');
  });
});

describe('renderInvoiceAlert', () => {
  const failed = invoices[0] as Invoice;
  const overdue = invoices[1] as Invoice;

  it('leads with a failed payment in plain words and also tells that it is overdue', () => {
    const message = renderInvoiceAlert(
      {
        invoice: { ...failed, dueDate: new Date('2026-11-15T00:00:00Z') },
        events: ['payment-failed', 'overdue'],
        outstandingBalance: 610.5,
      },
      ctx,
    );
    expectValid(message);
    const text = blockText(message);
    expect(text).toContain('Invoice alert · acme');
    expect(text).toContain(
      ":x: *A payment failed* on the $312.40 invoice of Oct 31, 2026: The card was declined. Check the payment method on Viam's billing page. *The $312.40 invoice of Oct 31, 2026 is overdue*: it was due Nov 15, 2026.",
    );
    expect(text).toContain('*Status*\nOverdue');
    expect(text).toContain('*Outstanding balance*\n$610.50');
    expect(buttons(message).map((button) => [button.action_id, button.value])).toEqual([
      [ACTION_SHOW_USAGE, '{"org":"acme"}'],
      [ACTION_SHARE_INVOICE_PDF, JSON.stringify({ org: 'acme', invoice: failed.id })],
    ]);
    expect(message.text).toContain('Invoice alert for acme: A payment failed on the $312.40 invoice');
    expect(message.text).not.toContain('*');
  });

  it('words an overdue invoice, a new one, and a failure code it does not know', () => {
    const late = renderInvoiceAlert({ invoice: overdue, events: ['overdue'] }, ctx);
    expect(late.text).toContain('The $298.10 invoice of Sep 30, 2026 is overdue: it was due Oct 15, 2026.');
    expect(blockText(late)).toContain(':warning:');

    const fresh = renderInvoiceAlert(
      { invoice: { ...overdue, status: 'outstanding', dueDate: undefined }, events: ['new'] },
      ctx,
    );
    expect(fresh.text).toContain('New invoice: the $298.10 invoice of Sep 30, 2026.');
    expect(blockText(fresh)).toContain('*Due*\nNot given');

    const odd = renderInvoiceAlert(
      { invoice: { ...failed, paymentFailure: { reason: 'bank_said_<no>' } }, events: ['payment-failed'] },
      ctx,
    );
    expectValid(odd);
    expect(odd.text).toContain('The payment failed (bank_said_no).');
  });

  it('stays within Slack’s limits with a hostile org label', () => {
    expectValid(
      renderInvoiceAlert(
        { invoice: failed, events: ['payment-failed', 'overdue', 'new'] },
        { ...ctx, orgLabel: LONG_NASTY },
      ),
    );
  });
});

describe('describeThreshold', () => {
  it('names each threshold for the standing and the Home tab', () => {
    expect(describeThreshold('spent-50')).toBe('50% spent');
    expect(describeThreshold('spent-80')).toBe('80% spent');
    expect(describeThreshold('spent-100')).toBe('100% spent');
    expect(describeThreshold('projected-over')).toBe('projected over budget');
  });
});

function formatted(amount: number | undefined): string {
  return `$${(amount ?? 0).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

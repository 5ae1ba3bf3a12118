import type { Invoice, UsageReport } from '../../src/billing/model';
import { ACTION_SHOW_BILLING, ACTION_SHOW_INVOICES, ACTION_SHOW_USAGE, decodeButtonValue } from '../../src/blocks/ids';
import { renderOverview } from '../../src/blocks/overview';
import {
  cardBilling,
  ctx,
  invoicesSummary,
  LONG_NASTY,
  line,
  noPaymentMethodBilling,
  unverifiedBankBilling,
  usageReport,
  zeroUsageReport,
} from './fixtures';
import { blocksOfType, blockText, buttons, expectValid } from './helpers';

const full = { usage: usageReport, invoices: invoicesSummary, billing: cardBilling };

describe('renderOverview', () => {
  it('summarises usage, invoices and the payment method', () => {
    const message = renderOverview(full, ctx);
    expectValid(message);
    expect(message).toMatchSnapshot();

    const text = blockText(message);
    expect(text).toContain('Viam billing · Acme Robotics');
    expect(text).toContain('*Month to date*\n$911.60');
    expect(text).toContain('Nov 1 – Nov 30, 2026 · day 26 of 30');
    expect(text).toContain('Discounts: -$12.00');
    expect(text).toContain('*Outstanding balance:* $610.50');
    expect(text).toContain(':warning: *Overdue:* $298.10 invoice of Sep 30, 2026, due Oct 15, 2026.');
    expect(text).toContain(
      ':warning: *Payment failed:* $312.40 invoice of Oct 31, 2026, due Dec 15, 2026. The card was declined.',
    );
    expect(text).toContain('*Payment method:* Visa ending in 4242');
    expect(text).toContain('As of Nov 26, 2026 10:00 (America/New_York)');
  });

  it('lists categories biggest first with their share', () => {
    const text = blockText(renderOverview(full, ctx));
    const order = [
      'Storage: $452.10 (49%)',
      'Compute: $265.50 (29%)',
      'Other: $138.00 (15%)',
      'Data transfer: $68.00 (7%)',
    ];
    const positions = order.map((entry) => text.indexOf(entry));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('hides categories with nothing in them', () => {
    const report: UsageReport = {
      ...usageReport,
      subtotal: 5,
      sources: [
        {
          kind: 'org',
          tierName: '',
          discount: 0,
          totalWithDiscount: 5,
          totalWithoutDiscount: 5,
          lines: [
            line(6, 'binary', 'Binary data storage', 'storage', 5),
            line(4, 'compute', 'Standard compute', 'compute', 0),
          ],
        },
      ],
    };
    const text = blockText(renderOverview({ ...full, usage: report }, ctx));
    expect(text).toContain('Storage: $5.00 (100%)');
    expect(text).not.toContain('Compute');
    expect(text).not.toContain('Discounts');
  });

  it('says when there is no usage yet', () => {
    const message = renderOverview({ ...full, usage: zeroUsageReport }, ctx);
    expectValid(message);
    expect(blockText(message)).toContain('No usage yet this month.');
    expect(blockText(message)).toContain('*Month to date*\n$0.00');
  });

  it('has buttons for the three detailed views, valued with the org label', () => {
    const message = renderOverview(full, ctx);
    const found = buttons(message);
    expect(found.map((button) => button.action_id)).toEqual([
      ACTION_SHOW_USAGE,
      ACTION_SHOW_INVOICES,
      ACTION_SHOW_BILLING,
    ]);
    expect(found.map((button) => (button.text as { text: string }).text)).toEqual([
      'Usage details',
      'Invoices',
      'Billing info',
    ]);
    for (const button of found) expect(decodeButtonValue(button.value)).toEqual({ org: 'Acme Robotics' });
  });

  it('shows the parts that loaded and one line for each part that failed', () => {
    const message = renderOverview(
      {
        usage: { error: 'Viam could not be reached just now. Try again in a minute.' },
        invoices: invoicesSummary,
        billing: cardBilling,
      },
      ctx,
    );
    expectValid(message);
    const text = blockText(message);
    expect(text).toContain(':x: *Usage:* Viam could not be reached just now. Try again in a minute.');
    expect(text).not.toContain('Month to date');
    expect(text).toContain('*Outstanding balance:* $610.50');
    expect(text).toContain('Visa ending in 4242');
    expect(message.text).toContain('Usage could not be loaded.');
    expect(message.text).toContain('Outstanding balance $610.50.');
  });

  it('still answers when every part failed, escaping the error text', () => {
    const message = renderOverview(
      {
        usage: { error: 'Usage <failed> & more' },
        invoices: { error: 'Invoices failed.' },
        billing: { error: 'Billing failed.' },
      },
      ctx,
    );
    expectValid(message);
    const text = blockText(message);
    expect(text).toContain(':x: *Usage:* Usage &lt;failed&gt; &amp; more');
    expect(text).toContain(':x: *Invoices:* Invoices failed.');
    expect(text).toContain(':x: *Payment method:* Billing failed.');
    expect(buttons(message)).toHaveLength(3);
  });

  it('shows the next due invoice when nothing is overdue', () => {
    const dueSoon: Invoice = {
      id: 'in_nov',
      date: new Date('2026-11-30T00:00:00Z'),
      amount: 120,
      status: 'outstanding',
      dueDate: new Date('2026-12-15T00:00:00Z'),
    };
    const later: Invoice = { ...dueSoon, id: 'in_dec', amount: 99, dueDate: new Date('2027-01-15T00:00:00Z') };
    const message = renderOverview({ ...full, invoices: { outstandingBalance: 219, invoices: [later, dueSoon] } }, ctx);
    expect(blockText(message)).toContain('*Next due:* $120.00 on Dec 15, 2026');
    expect(blockText(message)).not.toContain(':warning:');
    expect(message.text).toContain('Next payment $120.00 due Dec 15, 2026.');
  });

  it('says nothing is due when everything is paid', () => {
    const paid: Invoice = { id: 'in_1', amount: 10, status: 'paid', paidDate: new Date('2026-11-02T10:00:00Z') };
    const text = blockText(renderOverview({ ...full, invoices: { outstandingBalance: 0, invoices: [paid] } }, ctx));
    expect(text).toContain('Nothing is due.');
  });

  it('names three invoices that need attention and counts the rest', () => {
    const overdue: Invoice[] = Array.from({ length: 5 }, (_, index) => ({
      id: `in_${index}`,
      date: new Date(Date.UTC(2026, 5 - index, 30)),
      amount: 10 + index,
      status: 'overdue',
    }));
    const message = renderOverview({ ...full, invoices: { outstandingBalance: 60, invoices: overdue } }, ctx);
    expectValid(message);
    const text = blockText(message);
    expect(text.match(/\*Overdue:\*/g)).toHaveLength(3);
    expect(text).toContain('…and 2 more that need attention.');
    expect(message.text).toContain('5 invoices are overdue.');
  });

  it('warns about an unverified bank account and links its verification page', () => {
    const message = renderOverview({ ...full, billing: unverifiedBankBilling }, ctx);
    expectValid(message);
    expect(blockText(message)).toContain(
      '*Payment method:* :warning: First Robotics Bank checking account ending in 6789 needs verification before Viam can charge it. <https://payments.example.com/verify?account=ba_123&amp;token=abc|Verify the account>',
    );
  });

  it('warns when there is no payment method', () => {
    const message = renderOverview({ ...full, billing: noPaymentMethodBilling }, ctx);
    expect(blockText(message)).toContain('*Payment method:* :warning: No payment method on file.');
    expect(message.text).toContain('No payment method on file.');
  });

  it('keeps a very long label with markup characters within limits and escaped', () => {
    const message = renderOverview(full, { ...ctx, orgLabel: LONG_NASTY });
    expectValid(message);
    const headerText = (blocksOfType(message, 'header')[0]?.text as { text: string } | undefined)?.text ?? '';
    expect(headerText.startsWith('Viam billing · <Acme & Sons> Very long name')).toBe(true);
    expect(headerText.length).toBeLessThanOrEqual(150);
    expect(message.text).toContain('&lt;Acme &amp; Sons&gt;');
    expect(decodeButtonValue(buttons(message)[0]?.value)).toEqual({ org: LONG_NASTY });
  });

  it('leaves out the period when Viam sent no dates', () => {
    const message = renderOverview(
      { ...full, usage: { ...usageReport, periodStart: new Date(0), periodEnd: new Date(0) } },
      ctx,
    );
    expectValid(message);
    expect(blockText(message)).not.toContain('Billing period');
    expect(blockText(message)).toContain('*Month to date*\n$911.60');
  });
});

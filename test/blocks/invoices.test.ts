import type { Invoice } from '../../src/billing/model';
import { ACTION_SHARE_INVOICE_PDF, decodeButtonValue } from '../../src/blocks/ids';
import { renderInvoices } from '../../src/blocks/invoices';
import { ctx, invoicesSummary, LONG_NASTY, manyInvoices, NOW } from './fixtures';
import { blocksOfType, blockText, buttons, expectValid } from './helpers';

function rowTexts(message: ReturnType<typeof renderInvoices>): string[] {
  return blocksOfType(message, 'section')
    .filter((block) => block.accessory !== undefined)
    .map((block) => (block.text as { text: string }).text);
}

describe('renderInvoices', () => {
  it('lists the balance and each invoice with its status in plain words', () => {
    const message = renderInvoices(invoicesSummary, ctx);
    expectValid(message);
    expect(message).toMatchSnapshot();

    const rows = rowTexts(message);
    expect(rows).toEqual([
      '*Oct 31, 2026* · $312.40 · :warning: *Outstanding*\nDue Dec 15, 2026 · ID `in_oct2026`\n:x: Last payment attempt failed on Nov 16, 2026: The card was declined.',
      '*Sep 30, 2026* · $298.10 · :warning: *Overdue*\nDue Oct 15, 2026 · ID `in_sep2026`',
      '*Aug 31, 2026* · $250.00 · Payment processing\nDue Sep 15, 2026 · ID `in_aug2026`',
      '*Jul 31, 2026* · $1,234.50 · Paid\nPaid Aug 10, 2026 · ID `in_jul2026`',
      '*Jun 30, 2026* · $0.00 · Free\nID `in_jun2026`',
      '*May 31, 2026* · $10.00 · Partially Refunded\nID `in_may2026`',
    ]);
    expect(blockText(message)).toContain(
      '*Outstanding balance:* $610.50\n:warning: 1 invoice is overdue; payment failed for 1 invoice.',
    );
    expect(message.text).toBe(
      'Viam invoices for Acme Robotics: outstanding balance $610.50. 1 invoice is overdue; payment failed for 1 invoice.',
    );
  });

  it('gives every invoice a Share PDF button carrying the org and the invoice', () => {
    const found = buttons(renderInvoices(invoicesSummary, ctx));
    expect(found).toHaveLength(invoicesSummary.invoices.length);
    for (const [index, button] of found.entries()) {
      expect(button.action_id).toBe(ACTION_SHARE_INVOICE_PDF);
      expect((button.text as { text: string }).text).toBe('Share PDF');
      expect(decodeButtonValue(button.value)).toEqual({
        org: 'Acme Robotics',
        invoice: invoicesSummary.invoices[index]?.id,
      });
    }
    expect(found[0]?.accessibility_label).toBe('Share the PDF of the Oct 31, 2026 invoice');
  });

  it('shows the 12 most recent of 200 and points to --all', () => {
    const message = renderInvoices(manyInvoices(200), ctx);
    expectValid(message);
    expect(rowTexts(message)).toHaveLength(12);
    expect(rowTexts(message)[0]).toContain('ID `in_00000`');
    expect(blockText(message)).toContain('…and 188 more (see `/viam-usage invoices --all`).');
    expect(message.text).toContain('Showing 12 of 200 invoices.');
  });

  it('shows as many as fit in one message with --all', () => {
    const message = renderInvoices(manyInvoices(200), ctx, { all: true });
    expectValid(message);
    expect(message.blocks).toHaveLength(50);
    const shown = rowTexts(message).length;
    expect(shown).toBe(46);
    expect(blockText(message)).toContain(`…and ${200 - shown} older invoices that do not fit in one Slack message.`);
  });

  it('shows everything without a "more" line when it all fits', () => {
    const message = renderInvoices(manyInvoices(12), ctx);
    expect(rowTexts(message)).toHaveLength(12);
    expect(blockText(message)).not.toContain('…and');
  });

  it('says when there are no invoices', () => {
    const message = renderInvoices({ outstandingBalance: 0, invoices: [] }, ctx);
    expectValid(message);
    expect(blockText(message)).toContain('No invoices yet.');
    expect(buttons(message)).toHaveLength(0);
  });

  it('copes with invoices missing their dates, status and ID', () => {
    const bare: Invoice = { id: '', amount: 5, status: '' };
    const noDates: Invoice = { id: 'in_x', amount: 7, status: 'outstanding' };
    const message = renderInvoices({ outstandingBalance: 7, invoices: [bare, noDates] }, ctx);
    expectValid(message);
    const sections = blocksOfType(message, 'section').map((block) => (block.text as { text: string }).text);
    expect(sections).toContain('*No date* · $5.00 · Unknown status');
    expect(sections).toContain('*No date* · $7.00 · Outstanding\nID `in_x`');
    // No ID, nothing to share.
    expect(buttons(message)).toHaveLength(1);
    expect(buttons(message)[0]?.accessibility_label).toBe('Share the PDF of this invoice');
  });

  it('marks an unpaid invoice overdue only once its due date has passed', () => {
    const due = (dueDate: string, status = 'outstanding'): Invoice => ({
      id: `in_${dueDate}_${status}`,
      amount: 1,
      status,
      dueDate: new Date(dueDate),
    });
    const message = renderInvoices(
      {
        outstandingBalance: 2,
        invoices: [due('2026-11-26T14:59:59Z'), due('2026-11-26T15:00:01Z'), due('2026-11-01T00:00:00Z', 'paid')],
      },
      { ...ctx, now: NOW },
    );
    const rows = rowTexts(message);
    expect(rows[0]).toContain(':warning: *Overdue*');
    expect(rows[1]).toContain('· Outstanding');
    expect(rows[2]).toContain('· Paid');
    expect(rows[2]).not.toContain(':warning:');
  });

  it('does not flag a failure on an invoice that has since been paid', () => {
    const paid: Invoice = {
      id: 'in_paid',
      amount: 1,
      status: 'paid',
      paidDate: new Date('2026-11-20T12:00:00Z'),
      paymentFailure: { reason: 'card_declined' },
    };
    const text = blockText(renderInvoices({ outstandingBalance: 0, invoices: [paid] }, ctx));
    expect(text).not.toContain('failed');
    expect(text).not.toContain(':warning:');
  });

  it('explains unknown failure reasons generically, naming the code', () => {
    const invoice: Invoice = {
      id: 'in_1',
      amount: 1,
      status: 'outstanding',
      paymentFailure: { reason: 'fraud_suspected' },
    };
    const text = blockText(renderInvoices({ outstandingBalance: 1, invoices: [invoice] }, ctx));
    expect(text).toContain(':x: Last payment attempt failed: The payment failed (fraud_suspected).');
  });

  it('shows dates in the reader’s zone around midnight', () => {
    const invoice: Invoice = {
      id: 'in_midnight',
      date: new Date('2026-11-01T02:00:00Z'),
      amount: 1,
      status: 'paid',
      paidDate: new Date('2026-11-01T23:30:00Z'),
    };
    const summary = { outstandingBalance: 0, invoices: [invoice] };
    expect(rowTexts(renderInvoices(summary, { ...ctx, timeZone: 'America/New_York' }))[0]).toBe(
      '*Oct 31, 2026* · $1.00 · Paid\nPaid Nov 1, 2026 · ID `in_midnight`',
    );
    expect(rowTexts(renderInvoices(summary, { ...ctx, timeZone: 'Asia/Tokyo' }))[0]).toBe(
      '*Nov 1, 2026* · $1.00 · Paid\nPaid Nov 2, 2026 · ID `in_midnight`',
    );
  });

  it('escapes invoice IDs and keeps a long hostile org label in the button value only', () => {
    const invoice: Invoice = { id: 'in_<&>`x', amount: 1, status: 'paid' };
    const message = renderInvoices({ outstandingBalance: 0, invoices: [invoice] }, { ...ctx, orgLabel: LONG_NASTY });
    expectValid(message);
    expect(rowTexts(message)[0]).toContain("ID `in_&lt;&amp;&gt;'x`");
    expect(decodeButtonValue(buttons(message)[0]?.value)).toEqual({ org: LONG_NASTY, invoice: 'in_<&>`x' });
  });
});

import type { Invoice, UsageReport } from '../../src/billing/model';
import { categoryTotals } from '../../src/billing/usage-totals';
import {
  type DigestRenderContext,
  describeWeeklyTime,
  formatChange,
  LATE_NOTE,
  renderDigest,
  renderDigestFailure,
} from '../../src/blocks/digest';
import { ACTION_SHARE_INVOICE_PDF, decodeButtonValue } from '../../src/blocks/ids';
import { composeDigest, type DigestData } from '../../src/digest/compose';
import { snapshotOf } from '../../src/digest/snapshots';
import { monthOverMonth as monthOverMonthOf } from '../../src/trends/month-over-month';
import { invoicesSummary, LONG_NASTY, manyLinesReport, NOW, usageReport } from './fixtures';
import { blockText, buttons, expectValid } from './helpers';

const schedule = { weekday: 'mon', time: '09:00', timeZone: 'America/New_York' } as const;
const ctx: DigestRenderContext = {
  orgLabel: 'Acme Robotics',
  timeZone: 'America/New_York',
  now: NOW,
  channelId: 'C0BILLING0',
  schedule,
};

/** Last week's numbers: $120 less in total, all of it binary data storage. */
const lastWeek: UsageReport = {
  ...usageReport,
  subtotal: usageReport.subtotal - 120,
  sources: usageReport.sources.map((source) =>
    source.kind === 'org'
      ? {
          ...source,
          lines: source.lines.map((line) =>
            line.key === 'binary_data_cloud_storage' ? { ...line, amount: line.amount - 120 } : line,
          ),
        }
      : source,
  ),
};

function weekOverWeek(): DigestData {
  const previous = snapshotOf(lastWeek, new Date('2026-11-19T15:00:00Z'), 'digest');
  return composeDigest({ usage: usageReport, invoices: invoicesSummary, previous, now: NOW });
}

describe('renderDigest', () => {
  it('opens with month-to-date spend and the period, then change, projection, costs and what is owed', () => {
    const message = renderDigest(weekOverWeek(), ctx);
    expectValid(message);
    expect(message).toMatchSnapshot();

    const text = blockText(message);
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Weekly Viam digest · Acme Robotics' } });
    expect(text).toContain('*Month to date*\n$911.60');
    expect(text).toContain('*Billing period*\nNov 1 – Nov 30, 2026 · day 26 of 30');
    expect(text).toContain(':chart_with_upwards_trend: +$120.00 (+15%) since Nov 19, 2026');
    // $911.60 over 25 of 30 days elapsed (Nov 26, 15:00 UTC is 25.625 days in).
    expect(text).toContain(`*Projected month-end*\n$1,067.24 at the current rate`);
    expect(text).toContain('*Top categories* (change since last week)\nStorage: $452.10 · +$120.00 (+36%)');
    expect(text).toContain('Compute: $265.50 · no change');
    expect(text).toContain('*Top cost lines* (change since last week)\nBinary data storage: $332.00 · +$120.00 (+57%)');
    expect(text).toContain('*Outstanding balance:* $610.50');
    expect(text).toContain(
      ':warning: *Payment failed:* $312.40 invoice of Oct 31, 2026, due Dec 15, 2026. The card was declined.',
    );
    expect(text).toContain(':warning: *Overdue:* $298.10 invoice of Sep 30, 2026, due Oct 15, 2026.');
    expect(text).not.toContain(LATE_NOTE);
  });

  it('offers each overdue or failed invoice as a PDF to share', () => {
    const shared = buttons(renderDigest(weekOverWeek(), ctx));
    expect(shared.map((button) => button.action_id)).toEqual([ACTION_SHARE_INVOICE_PDF, ACTION_SHARE_INVOICE_PDF]);
    expect(shared.map((button) => decodeButtonValue(button.value))).toEqual([
      { org: 'Acme Robotics', invoice: 'in_oct2026' },
      { org: 'Acme Robotics', invoice: 'in_sep2026' },
    ]);
  });

  it('ends with the org, the schedule and how to change or stop it', () => {
    const footer = renderDigest(weekOverWeek(), ctx).blocks.at(-1);
    expect(footer).toEqual({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text:
            '*Acme Robotics* · Every Monday at 09:00 (America/New_York) · ' +
            'Change: /viam-usage digest <#C0BILLING0> [day] [HH:MM] [time zone] · Stop: /viam-usage digest off <#C0BILLING0>',
        },
      ],
    });
  });

  it('says so when it is late', () => {
    const message = renderDigest(weekOverWeek(), { ...ctx, late: true });
    expectValid(message);
    expect(message.blocks[1]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `:hourglass: ${LATE_NOTE}` }],
    });
    expect(message.text).toContain('Delayed: the app was offline at the scheduled time.');
  });

  it('reads naturally as the first digest ever', () => {
    const data = composeDigest({ usage: usageReport, invoices: { outstandingBalance: 0, invoices: [] }, now: NOW });
    const message = renderDigest(data, ctx);
    expectValid(message);
    const text = blockText(message);
    expect(text).toContain('*Since last week*\nFirst digest: changes show from next week');
    expect(text).not.toContain('change since last week');
    expect(text.replace('Discounts: -$12.00', '')).not.toMatch(/[+-]\$/);
    expect(text).toContain('Data transfer: $68.00\nDiscounts: -$12.00');
    expect(text).toContain('*Outstanding balance:* $0.00\nNo overdue invoices or failed payments.');
    expect(message.text).toBe(
      'Weekly Viam digest for Acme Robotics: $911.60 month to date (Nov 1 – Nov 30, 2026 · day 26 of 30). ' +
        'First digest: changes show from next week. Projected month-end $1,067.24. Outstanding balance $0.00.',
    );
  });

  it('reads naturally as the first digest of a new month', () => {
    const october = snapshotOf(
      { ...usageReport, periodStart: new Date('2026-10-01T00:00:00Z'), periodEnd: new Date('2026-11-01T00:00:00Z') },
      new Date('2026-10-29T15:00:00Z'),
      'digest',
    );
    const data = composeDigest({ usage: usageReport, invoices: invoicesSummary, previous: october, now: NOW });
    const text = blockText(renderDigest(data, ctx));
    expect(text).toContain('First digest of November: changes show from next week');
    expect(text).not.toContain('change since last week');
  });

  it('says when it is too early to project, and how the projection stands against a budget', () => {
    const early = composeDigest({
      usage: usageReport,
      invoices: invoicesSummary,
      now: new Date('2026-11-01T10:00:00Z'),
    });
    expect(blockText(renderDigest(early, { ...ctx, now: early.now }))).toContain(
      '*Projected month-end*\nToo early in the period to project',
    );

    const over = composeDigest({ usage: usageReport, invoices: invoicesSummary, now: NOW, budget: 1000 });
    expect(blockText(renderDigest(over, ctx))).toContain(
      '*Budget:* $1,000.00 · 91% spent so far, :warning: projected to exceed it by $67.24.',
    );
    const under = composeDigest({ usage: usageReport, invoices: invoicesSummary, now: NOW, budget: 2000 });
    expect(blockText(renderDigest(under, ctx))).toContain(
      '*Budget:* $2,000.00 · 46% spent so far, projected to stay $932.76 under it.',
    );
  });

  it('lists three invoices that need attention and counts the rest', () => {
    const overdue: Invoice[] = Array.from({ length: 30 }, (_, index) => ({
      id: `in_${index}`,
      date: new Date(Date.UTC(2024, index, 1)),
      amount: 10 + index,
      status: 'overdue',
    }));
    const data = composeDigest({
      usage: usageReport,
      invoices: { outstandingBalance: 735, invoices: overdue },
      now: NOW,
    });
    const message = renderDigest(data, ctx);
    expectValid(message);
    expect(buttons(message)).toHaveLength(3);
    expect(blockText(message)).toContain('…and 27 more that need attention (see `/viam-usage invoices`).');
    expect(message.text).toContain('30 invoices need attention.');
  });

  it('stays within Slack’s limits with hostile labels and many lines', () => {
    const data = composeDigest({ usage: manyLinesReport(300), invoices: invoicesSummary, now: NOW });
    const message = renderDigest(data, { ...ctx, orgLabel: LONG_NASTY, late: true });
    expectValid(message);
    expect(JSON.stringify(message.blocks).length).toBeLessThan(12_000);
    expect(blockText(message)).toContain('&lt;Acme &amp; Sons&gt;');
  });

  it('tells a channel without a schedule how to turn one on', () => {
    const { schedule: _none, ...oneOff } = ctx;
    const footer = blockText({ blocks: renderDigest(weekOverWeek(), oneOff).blocks.slice(-1) });
    expect(footer).toBe(
      '*Acme Robotics* · times in America/New_York · No weekly digest here yet: /viam-usage digest <#C0BILLING0> [day] [HH:MM] [time zone] turns it on.',
    );
  });
});

describe('renderDigestFailure', () => {
  it('is one short sentence, with the same footer', () => {
    const message = renderDigestFailure(
      'the Viam key was revoked or lost access, an admin must reconnect the org with `/viam-usage connect`',
      ctx,
    );
    expectValid(message);
    expect(message.text).toBe(
      "This week's Viam digest could not be prepared: the Viam key was revoked or lost access, an admin must reconnect the org with `/viam-usage connect`.",
    );
    expect(message.blocks).toHaveLength(2);
    expect(blockText(message)).toContain('Stop: /viam-usage digest off <#C0BILLING0>');
  });

  it('escapes whatever sentence it is given', () => {
    const message = renderDigestFailure('Slack refused <b> & more.', ctx);
    expectValid(message);
    expect(message.text).toBe("This week's Viam digest could not be prepared: Slack refused &lt;b&gt; &amp; more.");
  });
});

describe('formatChange and describeWeeklyTime', () => {
  it.each([
    [{ amount: 20, fraction: 0.05 }, '+$20.00 (+5%)'],
    [{ amount: -3.1, fraction: -0.02 }, '-$3.10 (-2%)'],
    [{ amount: 4 }, '+$4.00 (new)'],
    [{ amount: 0.001, fraction: 0 }, 'no change'],
    [{ amount: 1234.5, fraction: 0.001 }, '+$1,234.50 (+<1%)'],
  ])('%j reads %s', (change, text) => {
    expect(formatChange(change)).toBe(text);
  });

  it('names the schedule', () => {
    expect(describeWeeklyTime({ weekday: 'sun', time: '02:30', timeZone: 'Europe/Berlin' })).toBe(
      'Every Sunday at 02:30 (Europe/Berlin)',
    );
  });
});

describe('month over month in the digest', () => {
  it('carries one line against the same point of last period once it exists, and none before', () => {
    const monthOverMonth = monthOverMonthOf(
      { periodStart: usageReport.periodStart, subtotal: usageReport.subtotal, categories: categoryTotals(usageReport) },
      [
        {
          ...snapshotOf(lastWeek, new Date('2026-10-26T12:00:00Z'), 'hourly'),
          periodStart: '2026-10-01T00:00:00.000Z',
          subtotal: 800,
        },
      ],
      NOW,
    );
    expect(monthOverMonth).toBeDefined();
    const data = composeDigest({
      usage: usageReport,
      invoices: invoicesSummary,
      now: NOW,
      ...(monthOverMonth ? { monthOverMonth } : {}),
    });
    const message = renderDigest(data, ctx);
    expectValid(message);
    expect(blockText(message)).toContain(
      '*Month over month* (from hourly snapshots)\n+$111.60 (+14%) against $800.00 at the same point last period (Oct 26, 2026)',
    );
    expect(blockText(renderDigest(weekOverWeek(), ctx))).not.toContain('Month over month');
  });
});

describe('invoiced months in the digest', () => {
  it('shows the last three billed months from the first digest on, named as invoices, oldest first', () => {
    const first = composeDigest({ usage: usageReport, invoices: invoicesSummary, now: NOW });
    expect(first.comparison.kind).toBe('none');
    const text = blockText(renderDigest(first, ctx));
    expect(text).toContain(
      '*Invoiced months* (from invoices, with tax and credits)\nAug 2026 $250.00 · Sep 2026 $298.10 · Oct 2026 $312.40',
    );
    // The month being used is never among them, even when Viam has an invoice dated inside it.
    expect(first.invoicedMonths.every((month) => month.month < usageReport.periodStart)).toBe(true);
  });

  it('leaves the line out for an org Viam has never invoiced', () => {
    const none = composeDigest({ usage: usageReport, invoices: { outstandingBalance: 0, invoices: [] }, now: NOW });
    expect(none.invoicedMonths).toEqual([]);
    expect(blockText(renderDigest(none, ctx))).not.toContain('Invoiced months');
  });
});

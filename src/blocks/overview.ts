/**
 * The default answer to `/viam-usage`: month-to-date spend, what is owed, and how the org pays, each
 * of which may have failed to load on its own without hiding the others.
 */
import type { BillingInfo, Invoice, InvoicesSummary, UsageReport } from '../billing/model';
import { totalDiscount } from '../billing/usage-totals';
import { actions, button, context, divider, fields, header, section } from './build';
import {
  escapeMrkdwn,
  formatDate,
  formatDateTime,
  formatDiscount,
  formatMoney,
  formatPercent,
  isValidDate,
  plural,
} from './format';
import {
  ACTION_SHOW_BILLING,
  ACTION_SHOW_INVOICES,
  ACTION_SHOW_USAGE,
  BLOCK_OVERVIEW_ACTIONS,
  encodeButtonValue,
} from './ids';
import { invoiceState, paymentFailureText } from './invoice-words';
import { toMessage } from './limits';
import { isPartError, type KnownBlock, type PartResult, type RenderContext, type SlackMessage } from './message';
import { describePaymentMethod, paymentMethodMrkdwn } from './payment-method';
import { describePeriod } from './period';
import { isZeroAmount, rankedCategories } from './totals';

export interface OverviewData {
  usage: PartResult<UsageReport>;
  invoices: PartResult<InvoicesSummary>;
  billing: PartResult<BillingInfo>;
}

/** Overdue or failed invoices listed by name before the rest are only counted. */
const MAX_ATTENTION_LISTED = 3;

interface Part {
  blocks: KnownBlock[];
  /** One or two plain sentences for the fallback text. */
  fallback: string;
}

export function renderOverview(data: OverviewData, ctx: RenderContext): SlackMessage {
  const label = escapeMrkdwn(ctx.orgLabel);
  const usage = isPartError(data.usage) ? failedPart('Usage', data.usage.error) : usagePart(data.usage, ctx);
  const invoices = isPartError(data.invoices)
    ? failedPart('Invoices', data.invoices.error)
    : invoicesPart(data.invoices, ctx);
  const billing = isPartError(data.billing)
    ? failedPart('Payment method', data.billing.error)
    : billingPart(data.billing);

  const blocks: KnownBlock[] = [
    header(`Viam billing · ${ctx.orgLabel}`),
    ...usage.blocks,
    divider(),
    ...invoices.blocks,
    ...billing.blocks,
    ...navigation(ctx.orgLabel),
    context(`As of ${formatDateTime(ctx.now, ctx.timeZone)}`),
  ];
  const text = `Viam billing for ${label}. ${usage.fallback} ${invoices.fallback} ${billing.fallback}`;
  return toMessage(text, blocks);
}

function failedPart(what: string, error: string): Part {
  return {
    blocks: [section(`:x: *${what}:* ${escapeMrkdwn(error)}`)],
    fallback: `${what} could not be loaded.`,
  };
}

function usagePart(report: UsageReport, ctx: RenderContext): Part {
  const period = describePeriod(report, ctx.timeZone, ctx.now);
  const subtotal = formatMoney(report.subtotal);
  const summary = fields([
    `*Month to date*\n${subtotal}`,
    ...(period === undefined ? [] : [`*Billing period*\n${period}`]),
  ]);

  const categories = rankedCategories(report);
  const discount = totalDiscount(report);
  const gross = categories.reduce((sum, { amount }) => sum + amount, 0);
  const categoryLines = categories.map(
    ({ label, amount }) => `${label}: ${formatMoney(amount)} (${formatPercent(amount / gross)})`,
  );
  if (!isZeroAmount(discount)) categoryLines.push(`Discounts: ${formatDiscount(discount)}`);
  const breakdown =
    categories.length === 0
      ? section('No usage yet this month.')
      : section(`*Top categories*\n${categoryLines.join('\n')}`);

  const top = categories[0];
  const topSentence = top ? ` ${top.label} is the largest part at ${formatMoney(top.amount)}.` : '';
  const periodText = period === undefined ? '' : ` (${period})`;
  return {
    blocks: [summary, breakdown],
    fallback: `${subtotal} so far this billing period${periodText}.${topSentence}`,
  };
}

function invoiceName(invoice: Invoice, timeZone: string): string {
  const amount = formatMoney(invoice.amount);
  return isValidDate(invoice.date)
    ? `${amount} invoice of ${formatDate(invoice.date, timeZone)}`
    : `${amount} invoice (no date)`;
}

function invoicesPart(summary: InvoicesSummary, ctx: RenderContext): Part {
  const states = summary.invoices.map((invoice) => ({ invoice, state: invoiceState(invoice, ctx.now) }));
  const attention = states.filter(({ state }) => state.overdue || state.failed);
  const balance = formatMoney(summary.outstandingBalance);
  const lines = [`*Outstanding balance:* ${balance}`];
  let fallback = `Outstanding balance ${balance}.`;

  for (const { invoice, state } of attention.slice(0, MAX_ATTENTION_LISTED)) {
    const due = isValidDate(invoice.dueDate) ? `, due ${formatDate(invoice.dueDate, ctx.timeZone)}` : '';
    const reason = state.failed ? ` ${paymentFailureText(invoice.paymentFailure?.reason ?? '')}.` : '';
    const what = state.overdue ? 'Overdue' : 'Payment failed';
    lines.push(`:warning: *${what}:* ${invoiceName(invoice, ctx.timeZone)}${due}.${reason}`);
  }
  if (attention.length > MAX_ATTENTION_LISTED) {
    lines.push(`…and ${attention.length - MAX_ATTENTION_LISTED} more that need attention.`);
  }
  const overdueCount = attention.filter(({ state }) => state.overdue).length;
  const failedCount = attention.length - overdueCount;
  if (overdueCount > 0) fallback += ` ${plural(overdueCount, 'invoice is', 'invoices are')} overdue.`;
  if (failedCount > 0) fallback += ` Payment failed for ${plural(failedCount, 'invoice')}.`;

  if (attention.length === 0) {
    const next = nextDue(states.filter(({ state }) => state.unpaid).map(({ invoice }) => invoice));
    if (next?.dueDate) {
      const due = formatDate(next.dueDate, ctx.timeZone);
      lines.push(`*Next due:* ${formatMoney(next.amount)} on ${due}`);
      fallback += ` Next payment ${formatMoney(next.amount)} due ${due}.`;
    } else if (isZeroAmount(summary.outstandingBalance)) {
      lines.push('Nothing is due.');
    }
  }
  return { blocks: [section(lines.join('\n'))], fallback };
}

/** The unpaid invoice due soonest. */
function nextDue(unpaid: readonly Invoice[]): Invoice | undefined {
  return unpaid
    .filter((invoice) => isValidDate(invoice.dueDate))
    .sort((a, b) => (a.dueDate as Date).getTime() - (b.dueDate as Date).getTime())[0];
}

function billingPart(info: BillingInfo): Part {
  const line = describePaymentMethod(info.paymentMethod);
  return {
    blocks: [section(`*Payment method:* ${paymentMethodMrkdwn(line)}`)],
    fallback: line.warning ? line.text : `Payment method: ${line.text}.`,
  };
}

function navigation(orgLabel: string): KnownBlock[] {
  const value = encodeButtonValue({ org: orgLabel });
  if (value === undefined) return [];
  return [
    actions(
      [
        button({ text: 'Usage details', actionId: ACTION_SHOW_USAGE, value }),
        button({ text: 'Invoices', actionId: ACTION_SHOW_INVOICES, value }),
        button({ text: 'Billing info', actionId: ACTION_SHOW_BILLING, value }),
      ],
      BLOCK_OVERVIEW_ACTIONS,
    ),
  ];
}

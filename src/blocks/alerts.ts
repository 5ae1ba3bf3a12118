/**
 * Alerts posted in an org's alert channel: a budget threshold crossed, or an invoice that is new,
 * overdue or failed to charge. Each says what happened with the numbers, what drives the spend, and
 * carries "Show usage" and "Share PDF" buttons.
 */
import type { InvoiceEvent } from '../alerts/invoice-events';
import { type BudgetThreshold, SPENT_PERCENT } from '../alerts/thresholds';
import { paymentFailureText } from '../billing/invoice-status';
import type { Invoice, UsageReport } from '../billing/model';
import type { Projection } from '../billing/projection';
import { type FeedbackTarget, feedbackButtons } from './alert-feedback';
import { actions, button, context, fields, header, section } from './build';
import { escapeMrkdwn, formatDate, formatMoney, formatPercent, inlineCode, isValidDate, safeTimeZone } from './format';
import { ACTION_SHOW_USAGE, encodeButtonValue, SLASH_COMMAND } from './ids';
import { invoiceState } from './invoice-words';
import { toMessage } from './limits';
import type { KnownBlock, SlackMessage } from './message';
import { describePeriod } from './period';
import { sharePdfButton } from './share-pdf-button';
import { rankedCategories } from './totals';

/** Categories named as driving the spend. */
export const TOP_CATEGORIES = 3;

export interface AlertContext {
  orgLabel: string;
  /** Budget alerts: what the Expected / Investigating / Unexpected buttons answer. */
  feedback?: FeedbackTarget;
  /** Dates are shown in this zone (the workspace's, else UTC). */
  timeZone: string;
  now: Date;
}

export interface BudgetAlertInput {
  threshold: BudgetThreshold;
  /** The monthly budget in US dollars. */
  budget: number;
  usage: UsageReport;
  /** Absent early in the period, when no projection is made. */
  projection?: Projection;
  /** Newest invoice, for the Share PDF button. */
  latestInvoice?: Invoice;
}

export interface InvoiceAlertInput {
  invoice: Invoice;
  /** What happened to it, most serious first; the first one leads the message. */
  events: readonly InvoiceEvent[];
  outstandingBalance?: number;
}

/** `50% spent`, `projected over budget`: how the standing and the Home tab name a threshold. */
export function describeThreshold(threshold: BudgetThreshold): string {
  return threshold === 'projected-over' ? 'projected over budget' : `${SPENT_PERCENT[threshold]}% spent`;
}

export function renderBudgetAlert(input: BudgetAlertInput, ctx: AlertContext): SlackMessage {
  const zone = safeTimeZone(ctx.timeZone);
  const { usage, budget, projection } = input;
  const headline = budgetHeadline(input);
  const period = describePeriod(usage, zone, ctx.now);

  const summary = [
    `*Month to date*\n${formatMoney(usage.subtotal)} (${formatPercent(usage.subtotal / budget)} of budget)`,
    `*Monthly budget*\n${formatMoney(budget)}`,
    `*Projected month-end*\n${projectionText(projection, budget)}`,
  ];
  if (period) summary.push(`*Billing period*\n${period}`);

  const blocks: KnownBlock[] = [
    header(`Budget alert · ${ctx.orgLabel}`),
    section(`${headline.emoji} ${headline.mrkdwn}`),
    fields(summary),
    section(driversText(usage)),
  ];
  const buttons = alertButtons(ctx, zone, input.latestInvoice);
  if (buttons) blocks.push(buttons);
  if (ctx.feedback) blocks.push(feedbackButtons(ctx.feedback));
  blocks.push(context(footer(ctx.orgLabel)));

  const projected = projection ? ` Projected month-end ${formatMoney(projection.total)}.` : '';
  const text = `Budget alert for ${escapeMrkdwn(ctx.orgLabel)}: ${headline.plain}${projected}`;
  return toMessage(text, blocks);
}

export function renderInvoiceAlert(input: InvoiceAlertInput, ctx: AlertContext): SlackMessage {
  const zone = safeTimeZone(ctx.timeZone);
  const { invoice } = input;
  const lead = input.events[0] ?? 'new';
  const sentences = input.events.map((event) => eventSentence(event, invoice, zone));
  const emoji = lead === 'payment-failed' ? ':x:' : lead === 'overdue' ? ':warning:' : ':page_facing_up:';

  const summary = [
    `*Amount*\n${formatMoney(invoice.amount)}`,
    `*Status*\n${invoiceState(invoice, ctx.now).word}`,
    `*Invoice date*\n${isValidDate(invoice.date) ? formatDate(invoice.date, zone) : 'Not given'}`,
    `*Due*\n${isValidDate(invoice.dueDate) ? formatDate(invoice.dueDate, zone) : 'Not given'}`,
  ];
  if (input.outstandingBalance !== undefined)
    summary.push(`*Outstanding balance*\n${formatMoney(input.outstandingBalance)}`);

  const blocks: KnownBlock[] = [
    header(`Invoice alert · ${ctx.orgLabel}`),
    section(`${emoji} ${sentences.join(' ')}`),
    fields(summary),
  ];
  const buttons = alertButtons(ctx, zone, invoice);
  if (buttons) blocks.push(buttons);
  blocks.push(context(footer(ctx.orgLabel)));

  const text = `Invoice alert for ${escapeMrkdwn(ctx.orgLabel)}: ${sentences.join(' ').replace(/\*/g, '')}`;
  return toMessage(text, blocks);
}

interface Headline {
  emoji: string;
  /** With bold. */
  mrkdwn: string;
  /** For the fallback text. */
  plain: string;
}

function budgetHeadline(input: BudgetAlertInput): Headline {
  const { budget, usage, projection } = input;
  const spent = `${formatMoney(usage.subtotal)} of ${formatMoney(budget)} (${formatPercent(usage.subtotal / budget)})`;
  const make = (emoji: string, title: string, rest: string): Headline => ({
    emoji,
    mrkdwn: `*${title}*: ${rest}`,
    plain: `${title}: ${rest}`,
  });
  switch (input.threshold) {
    case 'spent-50':
      return make(':large_yellow_circle:', 'Half of the monthly budget is spent', `${spent}.`);
    case 'spent-80':
      return make(':large_orange_circle:', '80% of the monthly budget is spent', `${spent}.`);
    case 'spent-100': {
      const over = usage.subtotal - budget;
      const by = over >= 0.005 ? `, ${formatMoney(over)} over` : '';
      return make(':red_circle:', 'The monthly budget is used up', `${spent}${by}.`);
    }
    case 'projected-over': {
      const total = projection?.total ?? usage.subtotal;
      return make(
        ':chart_with_upwards_trend:',
        'Spend is on course to exceed the monthly budget',
        `${formatMoney(total)} projected by the end of the period, ${formatPercent(total / budget)} of ${formatMoney(budget)} (${formatMoney(total - budget)} over). Spent so far: ${spent}.`,
      );
    }
  }
}

function projectionText(projection: Projection | undefined, budget: number): string {
  if (!projection) return 'Too early in the period to project';
  return `${formatMoney(projection.total)} (${formatPercent(projection.total / budget)} of budget)`;
}

/** The top categories with their share of month-to-date spend. */
function driversText(usage: UsageReport): string {
  const top = rankedCategories(usage).slice(0, TOP_CATEGORIES);
  if (top.length === 0) return '*Driving it*\nNo usage by category yet this period.';
  const lines = top.map((category) => {
    const share = usage.subtotal > 0 ? ` (${formatPercent(category.amount / usage.subtotal)})` : '';
    return `• ${escapeMrkdwn(category.label)}: ${formatMoney(category.amount)}${share}`;
  });
  return `*Driving it*\n${lines.join('\n')}`;
}

function invoiceName(invoice: Invoice, zone: string): string {
  const amount = formatMoney(invoice.amount);
  return isValidDate(invoice.date)
    ? `the ${amount} invoice of ${formatDate(invoice.date, zone)}`
    : `the ${amount} invoice`;
}

function eventSentence(event: InvoiceEvent, invoice: Invoice, zone: string): string {
  const name = invoiceName(invoice, zone);
  const due = isValidDate(invoice.dueDate) ? formatDate(invoice.dueDate, zone) : undefined;
  switch (event) {
    case 'payment-failed': {
      const reason = invoice.paymentFailure ? paymentFailureText(invoice.paymentFailure.reason) : 'The payment failed';
      return `*A payment failed* on ${name}: ${escapeMrkdwn(reason)}. Check the payment method on Viam's billing page.`;
    }
    case 'overdue':
      return `*${capitalize(name)} is overdue*${due ? `: it was due ${due}` : ''}.`;
    case 'new':
      return `*New invoice*: ${name}${due ? `, due ${due}` : ''}.`;
  }
}

function alertButtons(ctx: AlertContext, zone: string, invoice: Invoice | undefined): KnownBlock | undefined {
  const buttons = [];
  const usageValue = encodeButtonValue({ org: ctx.orgLabel });
  if (usageValue !== undefined) {
    buttons.push(button({ text: 'Show usage', actionId: ACTION_SHOW_USAGE, value: usageValue }));
  }
  const share = invoice ? sharePdfButton(invoice, ctx.orgLabel, zone) : undefined;
  if (share) buttons.push(share);
  return buttons.length > 0 ? actions(buttons) : undefined;
}

function footer(orgLabel: string): string {
  return (
    `Alerts for ${inlineCode(orgLabel)} go to this channel. ` +
    `Standing: ${inlineCode(`${SLASH_COMMAND} budget`)} · Change: ${inlineCode(`${SLASH_COMMAND} budget <amount> #channel`)} · Stop: ${inlineCode(`${SLASH_COMMAND} budget off`)}`
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

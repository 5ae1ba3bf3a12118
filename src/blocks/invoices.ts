/**
 * `/viam-usage invoices`: the outstanding balance and recent invoices, newest first, each with a
 * button to share its PDF. Overdue invoices and failed payments stand out.
 */
import type { Invoice, InvoicesSummary } from '../billing/model';
import { divider, header, section } from './build';
import { escapeMrkdwn, formatDate, formatMoney, inlineCode, isValidDate, plural } from './format';
import { SLASH_COMMAND } from './ids';
import { type InvoiceState, invoiceState, paymentFailureText } from './invoice-words';
import { moreLine, SLACK_LIMITS, takeWithin, toMessage } from './limits';
import type { KnownBlock, RenderContext, SlackMessage } from './message';
import { sharePdfButton } from './share-pdf-button';

/** Invoices listed unless the reader asks for all of them. */
export const RECENT_INVOICES = 12;

export interface InvoicesOptions {
  /** `invoices --all`: as many as one message can hold instead of the recent ones. */
  all?: boolean;
}

export function renderInvoices(
  summary: InvoicesSummary,
  ctx: RenderContext,
  options: InvoicesOptions = {},
): SlackMessage {
  const label = escapeMrkdwn(ctx.orgLabel);
  const rows = summary.invoices.map((invoice) => ({ invoice, state: invoiceState(invoice, ctx.now) }));
  const overdue = rows.filter(({ state }) => state.overdue).length;
  const failed = rows.filter(({ state }) => state.failed).length;
  const balance = formatMoney(summary.outstandingBalance);

  const warnings: string[] = [];
  if (overdue > 0) warnings.push(`${plural(overdue, 'invoice is', 'invoices are')} overdue`);
  if (failed > 0) warnings.push(`payment failed for ${plural(failed, 'invoice')}`);
  const warningLine = warnings.length > 0 ? `\n:warning: ${capitalize(warnings.join('; '))}.` : '';
  const head: KnownBlock[] = [
    header(`Invoices · ${ctx.orgLabel}`),
    section(`*Outstanding balance:* ${balance}${warningLine}`),
    divider(),
  ];

  const room = SLACK_LIMITS.messageBlocks - head.length;
  const wanted = options.all ? rows : rows.slice(0, RECENT_INVOICES);
  const { shown } = takeWithin(wanted, room);
  const hidden = rows.length - shown.length;
  const body = shown.map(({ invoice, state }) => invoiceRow(invoice, state, ctx));
  if (rows.length === 0) body.push(section('No invoices yet.'));
  if (hidden > 0) body.push(moreLine(moreText(hidden, options.all === true)));

  const counts = rows.length > shown.length ? ` Showing ${shown.length} of ${rows.length} invoices.` : '';
  const text = `Viam invoices for ${label}: outstanding balance ${balance}.${warningLine ? ` ${capitalize(warnings.join('; '))}.` : ''}${counts}`;
  return toMessage(text, [...head, ...body]);
}

function moreText(hidden: number, all: boolean): string {
  if (all) return `…and ${plural(hidden, 'older invoice')} that do not fit in one Slack message.`;
  return `…and ${hidden} more (see \`${SLASH_COMMAND} invoices --all\`).`;
}

function invoiceRow(invoice: Invoice, state: InvoiceState, ctx: RenderContext): KnownBlock {
  const date = isValidDate(invoice.date) ? formatDate(invoice.date, ctx.timeZone) : 'No date';
  const attention = state.overdue || state.failed;
  const status = attention ? `:warning: *${state.word}*` : state.word;
  const lines = [`*${date}* · ${formatMoney(invoice.amount)} · ${status}`];

  const details: string[] = [];
  if (isValidDate(invoice.paidDate)) details.push(`Paid ${formatDate(invoice.paidDate, ctx.timeZone)}`);
  else if (isValidDate(invoice.dueDate)) details.push(`Due ${formatDate(invoice.dueDate, ctx.timeZone)}`);
  if (invoice.id) details.push(`ID ${inlineCode(invoice.id)}`);
  if (details.length > 0) lines.push(details.join(' · '));

  if (state.failed && invoice.paymentFailure) {
    const at = isValidDate(invoice.paymentFailure.at)
      ? ` on ${formatDate(invoice.paymentFailure.at, ctx.timeZone)}`
      : '';
    lines.push(`:x: Last payment attempt failed${at}: ${paymentFailureText(invoice.paymentFailure.reason)}.`);
  }

  const share = sharePdfButton(invoice, ctx.orgLabel, ctx.timeZone);
  return section(lines.join('\n'), share);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

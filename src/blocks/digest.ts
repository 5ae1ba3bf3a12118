/**
 * The weekly channel digest: month-to-date spend first, then what changed, where it is heading, what
 * costs most, and anything unpaid. Also the one-line notice posted when a digest could not be made.
 */
import { tz } from '@date-fns/tz';
import { format } from 'date-fns';
import type { Projection } from '../billing/projection';
import type { AttentionInvoice, Change, Comparison, DigestData, RankedAmount } from '../digest/compose';
import { WEEKDAY_NAMES, type WeeklyTime } from '../digest/weekly-time';
import { type InvoicedMonth, invoicedMonthName } from '../trends/invoiced-months';
import { context, divider, fields, header, section } from './build';
import { monthOverMonthPhrase } from './compare';
import {
  escapeMrkdwn,
  formatDate,
  formatDiscount,
  formatMoney,
  formatPercent,
  formatPeriod,
  isValidDate,
  periodProgress,
  plural,
  safeTimeZone,
} from './format';
import { SLASH_COMMAND } from './ids';
import { paymentFailureText } from './invoice-words';
import { moreLine, toMessage } from './limits';
import type { KnownBlock, RenderContext, SlackMessage } from './message';
import { sharePdfButton } from './share-pdf-button';

export interface DigestRenderContext extends RenderContext {
  /** The channel the digest goes to, for the "change or stop" footer. */
  channelId: string;
  /** The channel's weekly schedule; absent for a one-off digest in a channel without one. */
  schedule?: WeeklyTime;
  /** The digest goes out after its scheduled time because the app was not running then. */
  late?: boolean;
}

export const LATE_NOTE = '(delayed: the app was offline at the scheduled time)';
const LATE_SENTENCE = 'Delayed: the app was offline at the scheduled time.';

/** Overdue or failed invoices listed, each with its button, before the rest are only counted. */
export const MAX_ATTENTION_LISTED = 3;

/** `Every Monday at 09:00 (Europe/Berlin)` */
export function describeWeeklyTime(schedule: WeeklyTime): string {
  return `Every ${WEEKDAY_NAMES[schedule.weekday]} at ${schedule.time} (${schedule.timeZone})`;
}

export function renderDigest(data: DigestData, ctx: DigestRenderContext): SlackMessage {
  const zone = safeTimeZone(ctx.timeZone);
  const period = periodText(data, zone);
  const monthToDate = formatMoney(data.monthToDate);

  const summary = [`*Month to date*\n${monthToDate}`];
  if (period) summary.push(`*Billing period*\n${period}`);
  summary.push(`*Since last week*\n${comparisonText(data.comparison, data, zone)}`);
  summary.push(`*Projected month-end*\n${projectionText(data.projection)}`);
  if (data.monthOverMonth) {
    summary.push(`*Month over month* (from hourly snapshots)\n${monthOverMonthPhrase(data.monthOverMonth, zone)}`);
  }
  const invoiced = invoicedMonthsText(data.invoicedMonths);
  if (invoiced) summary.push(invoiced);

  const blocks: KnownBlock[] = [header(`Weekly Viam digest · ${ctx.orgLabel}`)];
  if (ctx.late) blocks.push(context(`:hourglass: ${LATE_NOTE}`));
  blocks.push(fields(summary));
  const budget = data.projection?.budget;
  if (budget) blocks.push(section(budgetText(budget, data.projection as Projection)));
  const discount = Math.abs(data.discount) >= 0.005 ? `\nDiscounts: ${formatDiscount(data.discount)}` : '';
  blocks.push(
    section(`${rankedSection('Top categories', data.topCategories, 'No usage yet this period.')}${discount}`),
  );
  if (data.topLines.length > 0) blocks.push(section(rankedSection('Top cost lines', data.topLines, '')));
  blocks.push(divider());
  blocks.push(...invoiceBlocks(data, ctx, zone));
  blocks.push(context(footerText(ctx)));

  return toMessage(fallbackText(data, ctx, monthToDate, period, zone), blocks);
}

/** The single notice a channel gets when this week's digest could not be made; `sentence` must be user-safe. */
export function renderDigestFailure(sentence: string, ctx: Omit<DigestRenderContext, 'now' | 'late'>): SlackMessage {
  const reason = escapeMrkdwn(sentence.trim().replace(/\.$/, '') || 'something went wrong');
  const text = `This week's Viam digest could not be prepared: ${reason}.`;
  return toMessage(text, [section(`:warning: ${text}`), context(footerText(ctx))]);
}

function periodText(data: DigestData, zone: string): string | undefined {
  const period = formatPeriod(data.periodStart, data.periodEnd, zone);
  if (period === undefined) return undefined;
  const progress = periodProgress(data.periodStart, data.periodEnd, data.now, zone);
  return progress ? `${period} · day ${progress.day} of ${progress.of}` : period;
}

/**
 * `*Invoiced months* (from invoices, with tax and credits)` over `Sep 2026 $250.12 · Oct 2026 $268.55`: the months
 * already billed, named as invoices so they are not read as usage like the month-to-date figure.
 */
export function invoicedMonthsText(months: readonly InvoicedMonth[]): string | undefined {
  if (months.length === 0) return undefined;
  const list = months.map((month) => `${invoicedMonthName(month.month)} ${formatMoney(month.amount)}`).join(' · ');
  return `*Invoiced months* (from invoices, with tax and credits)\n${list}`;
}

/** `November`, read the way the period itself is (a UTC-midnight start is a calendar date). */
function monthName(start: Date, zone: string): string {
  const dateOnly = start.getTime() % 86_400_000 === 0;
  return format(start, 'MMMM', { in: tz(dateOnly ? 'UTC' : zone) });
}

/** `+$20.00 (+5%)`, `-$3.10 (-2%)`, `+$4.00 (new)`, `no change`. */
export function formatChange(change: Change): string {
  if (Math.abs(change.amount) < 0.005) return 'no change';
  const sign = change.amount > 0 ? '+' : '-';
  const money = `${sign}${formatMoney(Math.abs(change.amount))}`;
  if (change.fraction === undefined) return `${money} (new)`;
  return `${money} (${sign}${formatPercent(Math.abs(change.fraction))})`;
}

function comparisonText(comparison: Comparison, data: DigestData, zone: string): string {
  switch (comparison.kind) {
    case 'change': {
      const since = `since ${formatDate(comparison.since, zone)}`;
      if (Math.abs(comparison.change.amount) < 0.005) return `No change ${since}`;
      const arrow = comparison.change.amount > 0 ? ':chart_with_upwards_trend:' : ':chart_with_downwards_trend:';
      return `${arrow} ${formatChange(comparison.change)} ${since}`;
    }
    case 'new-period':
      return `First digest of ${monthName(data.periodStart, zone)}: changes show from next week`;
    case 'none':
      return 'First digest: changes show from next week';
  }
}

function projectionText(projection: Projection | undefined): string {
  if (!projection) return 'Too early in the period to project';
  return `${formatMoney(projection.total)} at the current rate`;
}

function budgetText(budget: NonNullable<Projection['budget']>, projection: Projection): string {
  const over = projection.total - budget.amount;
  const status =
    over > 0.005
      ? `:warning: projected to exceed it by ${formatMoney(over)}`
      : `projected to stay ${formatMoney(-over)} under it`;
  return `*Budget:* ${formatMoney(budget.amount)} · ${formatPercent(budget.spentFraction)} spent so far, ${status}.`;
}

function rankedLine(item: RankedAmount): string {
  const change = item.change ? ` · ${formatChange(item.change)}` : '';
  return `${escapeMrkdwn(item.label)}: ${formatMoney(item.amount)}${change}`;
}

function rankedSection(title: string, items: readonly RankedAmount[], empty: string): string {
  if (items.length === 0) return `*${title}*\n${empty}`;
  const note = items.some((item) => item.change) ? ' (change since last week)' : '';
  return `*${title}*${note}\n${items.map(rankedLine).join('\n')}`;
}

function invoiceName(invoice: AttentionInvoice, zone: string): string {
  const amount = formatMoney(invoice.amount);
  return isValidDate(invoice.date) ? `${amount} invoice of ${formatDate(invoice.date, zone)}` : `${amount} invoice`;
}

function invoiceBlocks(data: DigestData, ctx: DigestRenderContext, zone: string): KnownBlock[] {
  const balance = `*Outstanding balance:* ${formatMoney(data.outstandingBalance)}`;
  if (data.attention.length === 0) return [section(`${balance}\nNo overdue invoices or failed payments.`)];
  const blocks: KnownBlock[] = [section(balance)];
  for (const invoice of data.attention.slice(0, MAX_ATTENTION_LISTED)) {
    const what = invoice.overdue ? 'Overdue' : 'Payment failed';
    const due = isValidDate(invoice.dueDate) ? `, due ${formatDate(invoice.dueDate, zone)}` : '';
    const reason = invoice.paymentFailure !== undefined ? ` ${paymentFailureText(invoice.paymentFailure)}.` : '';
    const share = sharePdfButton(invoice, ctx.orgLabel, zone);
    blocks.push(section(`:warning: *${what}:* ${invoiceName(invoice, zone)}${due}.${reason}`, share));
  }
  const hidden = data.attention.length - MAX_ATTENTION_LISTED;
  if (hidden > 0) {
    blocks.push(moreLine(`…and ${hidden} more that need attention (see \`${SLASH_COMMAND} invoices\`).`));
  }
  return blocks;
}

function footerText(ctx: Omit<DigestRenderContext, 'now' | 'late'>): string {
  const org = `*${escapeMrkdwn(ctx.orgLabel)}*`;
  const channel = `<#${ctx.channelId}>`;
  if (!ctx.schedule) {
    return `${org} · times in ${safeTimeZone(ctx.timeZone)} · No weekly digest here yet: ${SLASH_COMMAND} digest ${channel} [day] [HH:MM] [time zone] turns it on.`;
  }
  return (
    `${org} · ${escapeMrkdwn(describeWeeklyTime(ctx.schedule))} · ` +
    `Change: ${SLASH_COMMAND} digest ${channel} [day] [HH:MM] [time zone] · Stop: ${SLASH_COMMAND} digest off ${channel}`
  );
}

function fallbackText(
  data: DigestData,
  ctx: DigestRenderContext,
  monthToDate: string,
  period: string | undefined,
  zone: string,
): string {
  const parts = [`Weekly Viam digest for ${escapeMrkdwn(ctx.orgLabel)}: ${monthToDate} month to date`];
  parts[0] += period ? ` (${period}).` : '.';
  if (ctx.late) parts.push(LATE_SENTENCE);
  const comparison = data.comparison;
  if (comparison.kind === 'change') {
    parts.push(`${capitalize(formatChange(comparison.change))} since ${formatDate(comparison.since, zone)}.`);
  } else {
    parts.push(`${comparisonText(comparison, data, zone)}.`);
  }
  if (data.projection) parts.push(`Projected month-end ${formatMoney(data.projection.total)}.`);
  parts.push(`Outstanding balance ${formatMoney(data.outstandingBalance)}.`);
  if (data.attention.length > 0)
    parts.push(`${plural(data.attention.length, 'invoice needs', 'invoices need')} attention.`);
  return parts.join(' ');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

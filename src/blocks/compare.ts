/** `/viam-usage compare`: this period against the same point of the last, and the invoice trend. */
import type { InvoiceTrend } from '../trends/invoice-trend';
import { sparkline } from '../trends/invoice-trend';
import type { MonthOverMonth } from '../trends/month-over-month';
import { context, fields, header, section } from './build';
import { formatChange } from './digest';
import { escapeMrkdwn, formatDate, formatMoney } from './format';
import { SLASH_COMMAND } from './ids';
import { toMessage } from './limits';
import type { RenderContext, SlackMessage } from './message';

export interface CompareData {
  monthToDate: number;
  monthOverMonth?: MonthOverMonth;
  invoices: InvoiceTrend;
}

export function renderCompare(data: CompareData, ctx: RenderContext): SlackMessage {
  const label = escapeMrkdwn(ctx.orgLabel);
  const blocks = [header(`Month over month · ${ctx.orgLabel}`)];
  const mom = data.monthOverMonth;
  const headline = mom
    ? `*${formatMoney(mom.current)}* so far this period: ${monthOverMonthPhrase(mom, ctx.timeZone)} (from hourly snapshots).`
    : `*${formatMoney(data.monthToDate)}* so far this period. There is no figure for the same point of last period yet: the app records usage every hour while an org is connected, so the comparison appears once it has a month of history.`;
  blocks.push(section(headline));
  if (mom && mom.categories.length > 0) {
    blocks.push(
      fields(
        mom.categories.map(
          (entry) => `*${entry.label}*\n${formatMoney(entry.current)} (${formatChange(entry.change)})`,
        ),
      ),
    );
  }
  blocks.push(section(invoiceTrendText(data.invoices, ctx.timeZone)));
  blocks.push(
    context(
      `Org ${label} · \`${SLASH_COMMAND} usage\` for this month’s lines, \`${SLASH_COMMAND} invoices\` for every invoice.`,
    ),
  );
  const text = mom
    ? `${label}: ${formatMoney(mom.current)} so far this period, ${monthOverMonthPhrase(mom, ctx.timeZone)}.`
    : `${label}: ${formatMoney(data.monthToDate)} so far this period; no comparison with last period yet.`;
  return toMessage(text, blocks);
}

/** `+$80.00 (+36%) against $220.00 at the same point last period (Oct 26)`. */
export function monthOverMonthPhrase(mom: MonthOverMonth, timeZone: string): string {
  return `${formatChange(mom.change)} against ${formatMoney(mom.previous)} at the same point last period (${formatDate(mom.comparedAt, timeZone)})`;
}

function invoiceTrendText(trend: InvoiceTrend, timeZone: string): string {
  if (trend.points.length === 0) return '*Invoices*\nNo invoices yet.';
  const amounts = trend.points.map((point) => point.amount);
  const lines = trend.points.map(
    (point) =>
      `${point.date ? formatDate(point.date, timeZone) : escapeMrkdwn(point.id)} · ${formatMoney(point.amount)}`,
  );
  const summary = [
    `Average ${formatMoney(trend.average)}`,
    ...(trend.lastChange ? [`latest ${formatChange(trend.lastChange)} on the one before`] : []),
  ].join(', ');
  return `*Last ${trend.points.length === 1 ? 'invoice' : `${trend.points.length} invoices`}*  \`${sparkline(amounts)}\`\n${lines.join('\n')}\n${summary}.`;
}

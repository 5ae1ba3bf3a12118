/** A spend anomaly alert: which line, its rate now against its usual rate, and what it means by month end. */
import type { Anomaly } from '../anomalies/detect';
import { sparkline } from '../trends/invoice-trend';
import { feedbackButtons } from './alert-feedback';
import { actions, button, context, header, section } from './build';
import { escapeMrkdwn, formatMoney, formatPercent } from './format';
import { ACTION_SHOW_USAGE, encodeButtonValue, SLASH_COMMAND } from './ids';
import { toMessage } from './limits';
import type { KnownBlock, SlackMessage } from './message';

export interface AnomalyAlertContext {
  orgLabel: string;
  /** The billing period's start, ISO 8601: what Expected mutes the line for. */
  period: string;
  /** Identifies this alert in feedback and the audit trail. */
  alertKey: string;
}

/** `Data egress: $45.00 a day, usually $0.00 (new)` and the like, for the text fallback and log. */
export function anomalyHeadline(anomaly: Anomaly, orgLabel: string): string {
  const what = anomaly.kind === 'category' ? `${anomaly.label} spend` : anomaly.label;
  return anomaly.reason === 'new'
    ? `${orgLabel}: ${what} started costing ${formatMoney(anomaly.ratePerDay)} a day`
    : `${orgLabel}: ${what} is costing ${formatMoney(anomaly.ratePerDay)} a day, ${formatPercent(anomaly.ratePerDay / anomaly.baselinePerDay - 1)} above its usual ${formatMoney(anomaly.baselinePerDay)}`;
}

export function renderAnomalyAlert(anomaly: Anomaly, ctx: AnomalyAlertContext): SlackMessage {
  const label = escapeMrkdwn(ctx.orgLabel);
  const name = escapeMrkdwn(anomaly.kind === 'category' ? `${anomaly.label} (all lines)` : anomaly.label);
  const rate =
    anomaly.reason === 'new'
      ? `*${name}* cost nothing in the week before and has cost *${formatMoney(anomaly.ratePerDay)}* in the last 24 hours.`
      : `*${name}* cost *${formatMoney(anomaly.ratePerDay)}* in the last 24 hours, ${formatPercent(anomaly.ratePerDay / anomaly.baselinePerDay - 1)} above its usual ${formatMoney(anomaly.baselinePerDay)} a day (mean of the 7 days before).`;
  const impact =
    anomaly.monthEndImpact >= 0.005
      ? `If it keeps this rate, it adds about *${formatMoney(anomaly.monthEndImpact)}* by the end of the billing period.`
      : 'The billing period ends before this rate adds much.';
  const trend =
    anomaly.daily.length > 1
      ? `Daily spend, last ${anomaly.daily.length} days: \`${sparkline(anomaly.daily.map((day) => day.amount))}\``
      : '';
  const usageValue = encodeButtonValue({ org: ctx.orgLabel });
  const blocks: KnownBlock[] = [header(`:mag: Unusual spend · ${ctx.orgLabel}`), section(`${rate}\n${impact}`)];
  if (trend) blocks.push(context(trend));
  if (usageValue)
    blocks.push(actions([button({ text: 'Show usage', actionId: ACTION_SHOW_USAGE, value: usageValue })]));
  blocks.push(
    feedbackButtons({
      org: ctx.orgLabel,
      period: ctx.period,
      alert: ctx.alertKey,
      line: anomaly.key,
    }),
  );
  blocks.push(
    context(
      `Org ${label} · “Expected” mutes this line until the period ends · \`${SLASH_COMMAND} anomalies\` to change the thresholds.`,
    ),
  );
  return toMessage(`${escapeMrkdwn(anomalyHeadline(anomaly, ctx.orgLabel))}.`, blocks);
}

/** `/viam-usage anomalies`: whether anomaly alerts are on for an org, how sensitive, and where they go. */
import type { AnomalySettings } from '../anomalies/settings';
import { context, section } from './build';
import { escapeMrkdwn, formatMoney } from './format';
import { SLASH_COMMAND } from './ids';
import { toMessage } from './limits';
import type { SlackMessage } from './message';

/** `on, $20.00/day, 50%`: short enough for the audit trail. */
export function describeAnomalySettings(settings: AnomalySettings): string {
  return `${settings.enabled ? 'on' : 'off'}, ${formatMoney(settings.minDailyUsd)}/day, ${settings.minIncreasePct}%`;
}

export function renderAnomalySettings(
  settings: AnomalySettings,
  orgLabel: string,
  alertChannelId: string | undefined,
  changed: boolean,
): SlackMessage {
  const label = escapeMrkdwn(orgLabel);
  const state = settings.enabled ? 'on' : 'off';
  const rule = `a cost line or category alerts when its last 24 hours cost at least ${formatMoney(settings.minDailyUsd)} and at least ${settings.minIncreasePct}% more than its usual day (the mean of the 7 days before), or when a line that cost nothing starts costing that much`;
  const where = alertChannelId
    ? `Alerts go to <#${alertChannelId}>, the alert channel of the org’s budget.`
    : `Alerts go to the org’s alert channel, set with \`${SLASH_COMMAND} budget <amount> #channel\`; none is set yet, so nothing is sent.`;
  const lead = `${changed ? 'Saved. ' : ''}Anomaly alerts for ${label} are *${state}*${settings.enabled ? `: ${rule}.` : '.'}`;
  return toMessage(`${lead} ${where}`, [
    section(lead),
    section(where),
    context(
      `Change with \`${SLASH_COMMAND} anomalies on|off --min <dollars a day> --pct <percent>\`. “Expected” on an alert mutes that line until the period ends.`,
    ),
  ]);
}

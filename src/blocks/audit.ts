/** `/viam-usage audit`: the latest changes to a workspace's orgs, access and digests, newest first. */
import { tz } from '@date-fns/tz';
import { format } from 'date-fns';
import type { AuditAction, AuditEntry } from '../audit/trail';
import { context, header, section } from './build';
import { escapeMrkdwn, formatMoney, inlineCode, safeTimeZone } from './format';
import { SLASH_COMMAND } from './ids';
import { joinLinesWithin, toMessage } from './limits';
import { userMention } from './mentions';
import type { SlackMessage } from './message';

/** A section's text is capped at 3000 characters by Slack. */
const SECTION_CHARS = 3000;

export function renderAudit(entries: readonly AuditEntry[], options: { timeZone: string }): SlackMessage {
  const head = header('Recent changes');
  if (entries.length === 0) {
    const text = 'No changes recorded yet: connecting orgs, access changes and digests show up here.';
    return toMessage(text, [head, section(text)]);
  }
  const zone = safeTimeZone(options.timeZone);
  const lines = entries.map((entry) => auditLine(entry, zone));
  const body = joinLinesWithin(lines, { chars: SECTION_CHARS }, (hidden) => `…and ${hidden} more.`);
  const text = `The last ${entries.length === 1 ? 'change' : `${entries.length} changes`} to Viam billing settings here.`;
  return toMessage(text, [
    head,
    section(body),
    context(
      `Times in ${escapeMrkdwn(zone)}. Older changes are kept too; ${inlineCode(`${SLASH_COMMAND} audit`)} shows the latest 20.`,
    ),
  ]);
}

function auditLine(entry: AuditEntry, timeZone: string): string {
  const at = new Date(entry.at);
  const when = Number.isNaN(at.getTime()) ? 'unknown time' : format(at, 'MMM d, HH:mm', { in: tz(timeZone) });
  const who = userMention(entry.actor) ?? 'someone';
  return `• ${when} — ${who} ${describe(entry.action, entry)}`;
}

function describe(action: AuditAction, entry: AuditEntry): string {
  const org = entry.org === undefined ? 'an org' : inlineCode(entry.org);
  const channel = entry.channel && /^[CG][A-Z0-9]+$/.test(entry.channel) ? `<#${entry.channel}>` : 'a channel';
  const subject = userMention(entry.subject) ?? 'someone';
  switch (action) {
    case 'org.connected':
      return `connected ${org}`;
    case 'org.disconnected':
      return `disconnected ${org}`;
    case 'access.granted':
      return `gave ${subject} view access`;
    case 'access.revoked':
      return `removed ${subject}’s view access`;
    case 'digest.set':
      return `set the weekly digest in ${channel}${entry.schedule ? ` (${escapeMrkdwn(entry.schedule)})` : ''}${entry.org ? ` for ${org}` : ''}`;
    case 'digest.stopped':
      return `stopped the weekly digest in ${channel}`;
    case 'budget.set':
      return `set the monthly budget${entry.org ? ` of ${org}` : ''} to ${entry.amount === undefined ? 'an amount' : formatMoney(entry.amount)}${entry.channel ? `, alerts in ${channel}` : ''}`;
    case 'budget.removed':
      return `removed the monthly budget${entry.org ? ` of ${org}` : ''}`;
    case 'anomalies.changed':
      return `set anomaly alerts${entry.org ? ` of ${org}` : ''}${entry.detail ? ` to ${escapeMrkdwn(entry.detail)}` : ''}`;
    case 'alert.feedback':
      return `answered an alert${entry.org ? ` of ${org}` : ''}${entry.detail ? `: ${escapeMrkdwn(entry.detail)}` : ''}`;
    case 'workspace.reset':
      return 'reset the unreadable settings';
  }
}

/** `/viam-usage orgs`: the Viam orgs connected to this workspace. Key IDs are masked; keys are never passed in. */
import { context, header, section } from './build';
import { escapeMrkdwn, formatDate, inlineCode, isValidDate, maskKeyId, plural } from './format';
import { SLASH_COMMAND } from './ids';
import { moreLine, SLACK_LIMITS, takeWithin, toMessage } from './limits';
import { userMention } from './mentions';
import type { KnownBlock, SlackMessage } from './message';

/** What the list needs to know about one connection (the store's record, minus the secret). */
export interface ConnectedOrgRow {
  label: string;
  orgId: string;
  apiKeyId: string;
  /** Used when a command has no `--org`. */
  isDefault: boolean;
  /** Slack user ID of whoever connected it. */
  connectedBy?: string;
  connectedAt?: Date;
}

export function renderOrgs(orgs: readonly ConnectedOrgRow[], options: { timeZone: string }): SlackMessage {
  const head = header('Connected Viam orgs');
  if (orgs.length === 0) {
    const text = `No Viam org is connected yet. An org owner can run \`${SLASH_COMMAND} connect\`.`;
    return toMessage(text, [head, section(text)]);
  }

  const placeholder = '&lt;label&gt;';
  const footer = context(
    `Pick one with \`--org ${placeholder}\`, e.g. \`${SLASH_COMMAND} usage --org acme\`. ` +
      `Remove one with \`${SLASH_COMMAND} disconnect ${placeholder}\`.`,
  );
  const { shown, hidden } = takeWithin(orgs, SLACK_LIMITS.messageBlocks - 2);
  const blocks: KnownBlock[] = [head, ...shown.map((org) => orgRow(org, options.timeZone))];
  if (hidden > 0) blocks.push(moreLine(`…and ${plural(hidden, 'more org')}.`));
  blocks.push(footer);

  const names = orgs.map((org) => `${escapeMrkdwn(org.label)}${org.isDefault ? ' (default)' : ''}`);
  const text = `${plural(orgs.length, 'Viam org is', 'Viam orgs are')} connected: ${names.join(', ')}.`;
  return toMessage(text, blocks);
}

function orgRow(org: ConnectedOrgRow, timeZone: string): KnownBlock {
  const title = `*${escapeMrkdwn(org.label)}*${org.isDefault ? ' · default' : ''}`;
  const ids = `Org ID ${inlineCode(org.orgId)} · Key ID ${inlineCode(maskKeyId(org.apiKeyId))}`;
  const who = userMention(org.connectedBy);
  const when = isValidDate(org.connectedAt) ? formatDate(org.connectedAt, timeZone) : undefined;
  const lines = [title, ids];
  if (who || when) lines.push(`Connected${who ? ` by ${who}` : ''}${when ? ` on ${when}` : ''}`);
  return section(lines.join('\n'));
}

/** One-sentence answers: something failed, nothing is connected, no access, or please wait. */
import { context, section } from './build';
import { escapeMrkdwn, inlineCode } from './format';
import { SLASH_COMMAND } from './ids';
import { toMessage } from './limits';
import { userMention } from './mentions';
import type { SlackMessage } from './message';

/** People named in a "no access" answer; more would read like a roll call. */
const MAX_PEOPLE_NAMED = 5;

/**
 * `message` must already be safe to show (e.g. a ViamBillingError's message). The request ID lets an
 * operator find the details in the logs without the user ever seeing them.
 */
export function errorNotice(message: string, requestId?: string): SlackMessage {
  const sentence = escapeMrkdwn(message.trim() || 'Something went wrong.');
  const blocks = [section(`:x: ${sentence}`)];
  if (requestId)
    blocks.push(context(`Request ID ${inlineCode(requestId)}: mention it if you ask your admin for help.`));
  return toMessage(sentence, blocks);
}

export function notConnectedNotice(): SlackMessage {
  const text =
    'No Viam org is connected to this workspace yet. ' +
    `An org owner can connect one with \`${SLASH_COMMAND} connect\` and an organization-owner API key.`;
  return toMessage(text, [section(text)]);
}

/** `--org <label>` named an org that is not connected; `knownLabels` are the ones that are. */
export function unknownOrgNotice(label: string, knownLabels: readonly string[]): SlackMessage {
  const known = knownLabels.slice(0, 10).map(inlineCode).join(', ');
  const rest = knownLabels.length > 10 ? ` and ${knownLabels.length - 10} more` : '';
  const list = knownLabels.length > 0 ? ` Connected: ${known}${rest}.` : '';
  const text = `No connected org is called ${inlineCode(label)}.${list} \`${SLASH_COMMAND} orgs\` lists them.`;
  return toMessage(text, [section(text)]);
}

/** `askUserIds`: Slack user IDs of the people who can grant access (admins, whoever connected the org). */
export function noAccessNotice(askUserIds: readonly string[]): SlackMessage {
  const mentions = [...new Set(askUserIds)].flatMap((id) => userMention(id) ?? []);
  const named = mentions.slice(0, MAX_PEOPLE_NAMED);
  const others = mentions.length - named.length;
  const whom =
    named.length === 0
      ? 'a workspace admin'
      : `${joinWithOr(named)}${others > 0 ? ` (or one of ${others} others who can)` : ''}`;
  const text =
    'You don’t have access to Viam billing in this workspace. ' +
    `Ask ${whom} to run \`${SLASH_COMMAND} access add @you\`.`;
  return toMessage(text, [section(`:lock: ${text}`)]);
}

/** The caller may read billing, or not even that, but may not change the workspace's Viam settings. */
export function noManageNotice(askUserIds: readonly string[]): SlackMessage {
  const mentions = [...new Set(askUserIds)].flatMap((id) => userMention(id) ?? []).slice(0, MAX_PEOPLE_NAMED);
  const whom = mentions.length === 0 ? 'a workspace admin' : `a workspace admin or ${joinWithOr(mentions)}`;
  const text = `Only workspace admins and whoever connected an org can change Viam billing settings here. Ask ${whom}.`;
  return toMessage(text, [section(`:lock: ${text}`)]);
}

/** A short confirmation or explanation that needs no blocks of its own. */
export function infoNotice(text: string): SlackMessage {
  return toMessage(text, [section(text)]);
}

export function workingNotice(): SlackMessage {
  const text = 'Fetching billing from Viam…';
  return toMessage(text, [context(`:hourglass_flowing_sand: ${text}`)]);
}

function joinWithOr(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

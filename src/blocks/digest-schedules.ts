/**
 * Answers of `/viam-usage digest …`: a schedule confirmed, the list of schedules with their next runs,
 * and the refusals that name a channel.
 */
import { WEEKDAY_NAMES, type Weekday } from '../digest/weekly-time';
import { context, header, section } from './build';
import { escapeMrkdwn, formatDateTime, inlineCode } from './format';
import { toMessage } from './limits';
import type { SlackMessage } from './message';

export interface ScheduleRow {
  channelId: string;
  orgLabel: string;
  weekday: Weekday;
  time: string;
  timeZone: string;
  nextRun: Date;
}

function describe(row: ScheduleRow): string {
  return `every ${WEEKDAY_NAMES[row.weekday]} at ${row.time} (${row.timeZone}) for ${inlineCode(row.orgLabel)}`;
}

export function renderScheduleSet(row: ScheduleRow): SlackMessage {
  const text =
    `:calendar: Weekly Viam digest in <#${row.channelId}> ${describe(row)}. ` +
    `Next: ${formatDateTime(row.nextRun, row.timeZone)}. Preview it now: ${inlineCode('/viam-usage digest now')} <#${row.channelId}>.`;
  return toMessage(text, [section(text)]);
}

export function renderScheduleList(rows: readonly ScheduleRow[]): SlackMessage {
  if (rows.length === 0) {
    const text = 'No weekly digest is set up. Start one with `/viam-usage digest #channel [day] [HH:MM] [time zone]`.';
    return toMessage(text, [section(text)]);
  }
  const lines = rows.map(
    (row) => `• <#${row.channelId}> ${describe(row)}, next ${formatDateTime(row.nextRun, row.timeZone)}`,
  );
  const text = `Weekly Viam digests:\n${lines.join('\n')}`;
  return toMessage(text, [
    header('Weekly Viam digests'),
    section(lines.join('\n')),
    section('Change one with `/viam-usage digest #channel …`, stop it with `/viam-usage digest off #channel`.'),
  ]);
}

/** Slack's channel IDs; anything else is never put inside `<#…>`, so it cannot smuggle markup in. */
const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;

/** `<#C123>`, shown by Slack as the channel's name and a link; `that channel` for anything not shaped like an ID. */
export function channelMention(channelId: string): string {
  return CHANNEL_ID.test(channelId) ? `<#${channelId}>` : 'that channel';
}

/**
 * A digest command refused because of its channel. Unlike errorNotice, which escapes the whole
 * sentence, the channel stays a link: `problem` is plain text around a `{channel}` placeholder and is
 * escaped, the mention is put in after.
 */
export function renderChannelProblem(channelId: string, problem: string, requestId?: string): SlackMessage {
  const mention = channelMention(channelId);
  const text = escapeMrkdwn(problem.trim()).split('{channel}').join(mention);
  const blocks = [section(`:x: ${text}`)];
  if (requestId)
    blocks.push(context(`Request ID ${inlineCode(requestId)}: mention it if you ask your admin for help.`));
  return toMessage(text, blocks);
}

/** Answers of `/viam-usage digest …`: a schedule confirmed, and the list of schedules with their next runs. */
import { WEEKDAY_NAMES, type Weekday } from '../digest/weekly-time';
import { header, section } from './build';
import { formatDateTime, inlineCode } from './format';
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
    `Next: ${formatDateTime(row.nextRun, row.timeZone)}. Preview it now with ${inlineCode(`/viam-usage digest now <#${row.channelId}>`)}.`;
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

/**
 * Checks a submitted digest form against the workspace, before anything is saved. Pure: whether the
 * app can post in the channel is asked of Slack by the caller once these checks pass.
 */
import type { DigestFormValues } from '../blocks/home-digest-modal';
import type { DigestFormField } from '../blocks/ids';
import { CHANNEL_ID, type DigestSchedule } from '../digest/schedules';
import { CLOCK_TIME, canonicalTimeZone, WEEKDAYS, type Weekday, type WeeklyTime } from '../digest/weekly-time';
import { findOrg, type Workspace } from '../store';

export type DigestChange = {
  /** The channel's new schedule, when one was asked for. */
  set?: WeeklyTime & { channelId: string; orgLabel: string };
  /** Channels whose digest stops. */
  stop: string[];
};

export type DigestFormCheck =
  | { ok: true; change: DigestChange }
  | { ok: false; problems: Partial<Record<DigestFormField, string>> };

function isWeekday(value: string | undefined): value is Weekday {
  return (WEEKDAYS as readonly string[]).includes(value ?? '');
}

export function checkDigestForm(
  form: DigestFormValues,
  workspace: Workspace,
  existing: readonly DigestSchedule[],
): DigestFormCheck {
  const problems: Partial<Record<DigestFormField, string>> = {};
  const stop = [...new Set(form.stopChannelIds)];

  if (form.channelId === undefined && stop.length === 0) {
    problems.channel = 'Pick a channel for the digest, or at least one channel whose digest should stop.';
  }
  let set: DigestChange['set'];
  if (form.channelId !== undefined) {
    const channelId = form.channelId;
    if (!CHANNEL_ID.test(channelId)) problems.channel = 'Pick a channel: a direct message cannot get a digest.';
    if (!isWeekday(form.weekday)) problems.weekday = 'Pick the day of the week the digest goes out.';
    if (form.time === undefined || !CLOCK_TIME.test(form.time))
      problems.time = 'Pick the time of day the digest goes out.';
    const timeZone = form.timeZone === '' ? undefined : canonicalTimeZone(form.timeZone);
    if (timeZone === undefined) {
      problems.timeZone =
        form.timeZone === ''
          ? 'Give a time zone, such as Europe/Berlin or UTC.'
          : `${shown(form.timeZone)} is not a time zone I know. Use an IANA name such as Europe/Berlin, America/New_York or UTC.`;
    }
    const org = form.orgLabel === undefined ? undefined : findOrg(workspace, form.orgLabel);
    if (!org) problems.org = 'That org is no longer connected. Pick one of the connected orgs.';
    if (stop.includes(channelId)) {
      problems.stop = 'The channel picked for the digest is also picked to turn off: pick it in one place only.';
    }
    if (isWeekday(form.weekday) && form.time !== undefined && timeZone !== undefined && org) {
      set = { channelId, orgLabel: org.label, weekday: form.weekday, time: form.time, timeZone };
    }
  }
  const scheduled = new Set(existing.map((schedule) => schedule.channelId));
  const unknown = stop.filter((channelId) => !scheduled.has(channelId));
  if (unknown.length > 0 && problems.stop === undefined) {
    problems.stop =
      unknown.length === stop.length && unknown.length === 1
        ? 'That channel has no weekly digest to turn off.'
        : `${unknown.length} of the channels picked have no weekly digest to turn off.`;
  }
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return { ok: true, change: set ? { set, stop } : { stop } };
}

/** Echoed back in an error: short, and in quotes. */
function shown(text: string): string {
  return `"${Array.from(text).slice(0, 40).join('')}"`;
}

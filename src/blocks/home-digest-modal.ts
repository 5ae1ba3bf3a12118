/**
 * The Home tab's digest form: everything `/viam-usage digest` sets, picked instead of typed. One
 * channel's digest is set (or replaced), and any number of channels' digests can be turned off.
 */
import { DEFAULT_TIME, DEFAULT_WEEKDAY } from '../digest/schedule-input';
import { WEEKDAY_NAMES, WEEKDAYS } from '../digest/weekly-time';
import { context, section } from './build';
import { channelMention, type ScheduleRow } from './digest-schedules';
import { formatDateTime, inlineCode } from './format';
import {
  inputBlock,
  plainText,
  readConversation,
  readConversations,
  readOption,
  readText,
  readTime,
  type SubmittedValues,
} from './home-form';
import { DIGEST_FORM, VIEW_HOME_DIGESTS } from './ids';
import { joinLinesWithin, SLACK_LIMITS } from './limits';
import type { ModalView } from './message';

export interface DigestModalOptions {
  /** Labels of the connected orgs, in the workspace's order. */
  orgLabels: readonly string[];
  /** Preselected: the org whose button opened the form. */
  orgLabel: string;
  /** Prefilled zone: the user's own. */
  timeZone: string;
  /** Every digest of the workspace, shown so the reader knows what a channel already gets. */
  schedules: readonly ScheduleRow[];
}

/** What the form says, unchecked: empty strings and lists for inputs left empty. */
export interface DigestFormValues {
  channelId?: string;
  weekday?: string;
  time?: string;
  timeZone: string;
  orgLabel?: string;
  stopChannelIds: string[];
}

/** Slack caps a static_select at 100 options; a workspace has at most 25 orgs. */
const MAX_ORG_OPTIONS = 100;

const CHANNELS_ONLY = { include: ['public', 'private'] as ('public' | 'private')[], exclude_bot_users: true };

function option(text: string, value: string) {
  return { text: plainText(text, 75), value };
}

function currentDigests(schedules: readonly ScheduleRow[]): string {
  if (schedules.length === 0) return '*Current digests*\nNo weekly digest is set up yet.';
  const lines = schedules.map(
    (row) =>
      `• ${channelMention(row.channelId)} every ${WEEKDAY_NAMES[row.weekday]} at ${row.time} for ${inlineCode(row.orgLabel)}, next ${formatDateTime(row.nextRun, row.timeZone)}`,
  );
  return `*Current digests*\n${joinLinesWithin(lines, { chars: SLACK_LIMITS.sectionText - 20 }, (hidden) => `…and ${hidden} more`)}`;
}

export function digestModal(options: DigestModalOptions): ModalView {
  const orgOptions = options.orgLabels.slice(0, MAX_ORG_OPTIONS).map((label) => option(label, label));
  const selectedOrg = orgOptions.find((candidate) => candidate.value === options.orgLabel) ?? orgOptions[0];
  const weekdayOptions = WEEKDAYS.map((day) => option(WEEKDAY_NAMES[day], day));
  const defaultWeekday = weekdayOptions.find((candidate) => candidate.value === DEFAULT_WEEKDAY);
  return {
    type: 'modal',
    callback_id: VIEW_HOME_DIGESTS,
    title: plainText('Weekly digests', SLACK_LIMITS.modalTitle),
    submit: plainText('Save', SLACK_LIMITS.modalButton),
    close: plainText('Cancel', SLACK_LIMITS.modalButton),
    blocks: [
      section(currentDigests(options.schedules)),
      inputBlock({
        input: DIGEST_FORM.channel,
        label: 'Post a weekly digest in',
        element: { type: 'conversations_select', placeholder: plainText('Pick a channel'), filter: CHANNELS_ONLY },
        hint: 'Public channels are joined automatically; invite the app to a private one first. A channel that already has a digest gets this schedule instead.',
        optional: true,
      }),
      inputBlock({
        input: DIGEST_FORM.org,
        label: 'About the org',
        element: {
          type: 'static_select',
          options: orgOptions,
          ...(selectedOrg ? { initial_option: selectedOrg } : {}),
        },
      }),
      inputBlock({
        input: DIGEST_FORM.weekday,
        label: 'Day',
        element: {
          type: 'static_select',
          options: weekdayOptions,
          ...(defaultWeekday ? { initial_option: defaultWeekday } : {}),
        },
      }),
      inputBlock({
        input: DIGEST_FORM.time,
        label: 'Time',
        element: { type: 'timepicker', initial_time: DEFAULT_TIME },
      }),
      inputBlock({
        input: DIGEST_FORM.timeZone,
        label: 'Time zone',
        element: {
          type: 'plain_text_input',
          initial_value: options.timeZone,
          placeholder: plainText('e.g. Europe/Berlin'),
          max_length: 64,
        },
        hint: 'An IANA name such as Europe/Berlin, America/New_York or UTC; daylight saving time is followed.',
      }),
      inputBlock({
        input: DIGEST_FORM.stop,
        label: 'Turn off the digest in',
        element: {
          type: 'multi_conversations_select',
          placeholder: plainText('Channels whose digest should stop'),
          filter: CHANNELS_ONLY,
        },
        optional: true,
      }),
      context('Leave the first channel empty to only turn digests off.'),
    ],
  };
}

export function readDigestForm(values: SubmittedValues): DigestFormValues {
  return {
    channelId: readConversation(values, DIGEST_FORM.channel),
    weekday: readOption(values, DIGEST_FORM.weekday),
    time: readTime(values, DIGEST_FORM.time),
    timeZone: readText(values, DIGEST_FORM.timeZone),
    orgLabel: readOption(values, DIGEST_FORM.org),
    stopChannelIds: readConversations(values, DIGEST_FORM.stop),
  };
}

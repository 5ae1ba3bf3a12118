/**
 * The feedback row on budget and anomaly alerts: three buttons, and once someone answers, a line
 * under them saying who chose what and when. Pure; the listener re-renders the alert with these.
 */
import { z } from 'zod';
import { CHOICE_LABELS, FEEDBACK_CHOICES, type FeedbackChoice, type FeedbackEntry } from '../feedback/choices';
import { actions, button, context } from './build';
import type { KnownBlock } from './message';

export const ACTION_ALERT_FEEDBACK_PREFIX = 'viam_usage.alert_feedback.';
/** What the listener is registered for: the three choices' action IDs. */
export const FEEDBACK_ACTION_PATTERN = /^viam_usage\.alert_feedback\.(expected|investigating|unexpected)$/;
export const BLOCK_ALERT_FEEDBACK = 'viam_usage.alert_feedback';
export const BLOCK_ALERT_FEEDBACK_LOG = 'viam_usage.alert_feedback_log';

/** What a feedback button carries; untrusted when it comes back. */
export interface FeedbackTarget {
  /** The org's label. */
  org: string;
  /** The billing period's start, ISO 8601. */
  period: string;
  alert: string;
  line?: string;
}

const targetSchema = z.strictObject({
  org: z.string().min(1).max(80),
  period: z.iso.datetime(),
  alert: z.string().min(1).max(200),
  line: z.string().min(1).max(200).optional(),
});

const CHOICE_EMOJI: Readonly<Record<FeedbackChoice, string>> = {
  expected: ':white_check_mark:',
  investigating: ':mag:',
  unexpected: ':rotating_light:',
};

export function feedbackActionId(choice: FeedbackChoice): string {
  return `${ACTION_ALERT_FEEDBACK_PREFIX}${choice}`;
}

export function choiceOfActionId(actionId: string): FeedbackChoice | undefined {
  const choice = actionId.slice(ACTION_ALERT_FEEDBACK_PREFIX.length);
  return actionId.startsWith(ACTION_ALERT_FEEDBACK_PREFIX) && (FEEDBACK_CHOICES as readonly string[]).includes(choice)
    ? (choice as FeedbackChoice)
    : undefined;
}

export function decodeFeedbackTarget(raw: unknown): FeedbackTarget | undefined {
  if (typeof raw !== 'string' || raw.length > 2000) return undefined;
  try {
    const parsed = targetSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The three buttons; "Expected" on a line alert says it mutes the line. */
export function feedbackButtons(target: FeedbackTarget): KnownBlock {
  const value = JSON.stringify(target);
  return actions(
    FEEDBACK_CHOICES.map((choice) =>
      button({
        text: CHOICE_LABELS[choice],
        actionId: feedbackActionId(choice),
        value,
        ...(choice === 'expected' && target.line
          ? { accessibilityLabel: 'Expected: mute alerts for this line until the billing period ends' }
          : {}),
      }),
    ),
    BLOCK_ALERT_FEEDBACK,
  );
}

/**
 * The alert's blocks with the answers shown under the buttons, each person's latest answer once:
 * ":white_check_mark: Expected — <@U1> at 15:04 Nov 26", in each reader's time zone. Replaces an
 * earlier answers line.
 */
export function withFeedback(blocks: readonly KnownBlock[], entries: readonly FeedbackEntry[]): KnownBlock[] {
  const latest = new Map<string, FeedbackEntry>();
  for (const entry of entries) latest.set(entry.userId, entry);
  const lines = [...latest.values()].map((entry) => {
    // Slack shows a date token in each reader's own time zone; the fallback is UTC.
    const seconds = Math.floor(Date.parse(entry.at) / 1000);
    const when = `<!date^${seconds}^{time} {date_short}|${entry.at.slice(0, 16).replace('T', ' ')} UTC>`;
    const muted = entry.choice === 'expected' && entry.line ? ' (line muted until the period ends)' : '';
    return `${CHOICE_EMOJI[entry.choice]} ${CHOICE_LABELS[entry.choice]}${muted} — <@${entry.userId}> at ${when}`;
  });
  const kept = blocks.filter((block) => (block as { block_id?: string }).block_id !== BLOCK_ALERT_FEEDBACK_LOG);
  if (lines.length === 0) return kept;
  const log = { ...context(lines.join('\n')), block_id: BLOCK_ALERT_FEEDBACK_LOG } as KnownBlock;
  const at = kept.findIndex((block) => (block as { block_id?: string }).block_id === BLOCK_ALERT_FEEDBACK);
  return at < 0 ? [...kept, log] : [...kept.slice(0, at + 1), log, ...kept.slice(at + 1)];
}

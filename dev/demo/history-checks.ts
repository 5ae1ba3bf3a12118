/**
 * What the two months of history should show in the tour, checked on numbers rather than words: the
 * emulator's usage timeline says what the org spent at any instant (DemoFigures), so every figure the
 * app derives from its snapshots (month over month, the chart's previous period, the week's change,
 * an anomaly's rate) can be set against it.
 */
import type { AlertTickReport } from '../../src/alerts/scheduler';
import { describeCostType } from '../../src/billing/cost-types';
import { DETAILED_DAYS, UsageSnapshots } from '../../src/digest/snapshots';
import { previousPeriodPoint } from '../../src/trends/month-over-month';
import { costTypeNumber } from '../emulator/cost-types';
import type { LocalStack } from '../local-stack';
import { SEED, type StandInMessage } from '../slack-stand-in';
import { hasAmountNear, mentionsAmount, usd } from './amounts';
import { type Check, check, contains } from './checks';
import { DEMO_SPIKE, type DemoFigures } from './history';
import { allText, arrayField, stringField } from './json';
import { type HistoryReport, SPARSE_EVERY_HOURS } from './seed-history';
import type { Shown } from './shown';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** Snapshots hold cents; interpolating between two of them may move a figure by a few more. */
const INTERPOLATION_TOLERANCE_USD = 1.5;
const EXACT_TOLERANCE_USD = 0.5;

/** The history step: what the fast-forward did, and that the app kept what hourly checks leave behind. */
export async function historyChecks(
  stack: LocalStack,
  history: HistoryReport,
): Promise<{ shown: Shown[]; checks: Check[] }> {
  const org = stack.emulator.orgs[0];
  const stored = org
    ? await new UsageSnapshots(stack.app.services.store).history({ teamId: SEED.team.id }, org.orgId, {
        since: history.from,
        until: history.until,
      })
    : [];
  const detailedFrom = history.detailedFrom.getTime();
  const detailed = stored.filter((snapshot) => Date.parse(snapshot.takenAt) >= detailedFrom);
  const detailedHours = Math.floor((history.until.getTime() - detailedFrom) / HOUR_MS) + 1;
  const perDay = new Map<string, number>();
  for (const snapshot of stored.filter((each) => Date.parse(each.takenAt) < detailedFrom)) {
    const day = snapshot.takenAt.slice(0, 10);
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
  }
  const earlierDays = everyDay(history.from, new Date(detailedFrom - 1));
  const unlike = earlierDays.filter((day) => perDay.get(day) !== 1);
  const count = (n: number) => n.toLocaleString('en-US');
  return {
    shown: [
      {
        kind: 'note',
        text:
          `⏩ Fast-forward from ${utcDate(history.from)}, when Acme connected its org, to this morning: the clock ` +
          `stopped at ${count(history.checks)} of the app’s hourly checks (every one in the last ${DETAILED_DAYS} days, ` +
          `every ${SPARSE_EVERY_HOURS}th before that, where the app keeps only a day’s last snapshot) and the app ` +
          `recorded ${count(history.snapshots)} usage snapshots; ${count(stored.length)} are kept now. No budget ` +
          'was set yet, so no alert went anywhere.',
      },
    ],
    checks: [
      check(
        `the app’s check ran ${count(history.checks)} times without a failure`,
        history.checks > 0 && history.failures.length === 0,
        `failures: ${history.failures.join(', ')}`,
      ),
      check(
        'each check in a new hour recorded that hour’s usage snapshot',
        history.snapshots === history.hours,
        `${history.snapshots} snapshots in ${history.hours} hours`,
      ),
      check(
        `the app keeps every hour of the last ${DETAILED_DAYS} days (${count(detailedHours)}), as anomalies need`,
        detailed.length === detailedHours,
        `${detailed.length} kept`,
      ),
      check(
        `and one snapshot a day before that, for each of the ${earlierDays.length} days since ${utcDate(history.from)}`,
        earlierDays.length > 0 && unlike.length === 0,
        `not one a day: ${unlike.slice(0, 5).join(', ')}`,
      ),
      check('nothing was posted to Slack meanwhile', history.posts === 0, `${history.posts} posts`),
    ],
  };
}

/** `compare`: last period's month to date at the same point, and the change since, in one place. */
export function compareChecks(answer: unknown, now: Date, figures: DemoFigures): Check[] {
  return monthOverMonthChecks(blockTexts(answer), now, figures);
}

/** The chart's alt text (what a screen reader hears) gives the previous period's spend by the same day. */
export function chartChecks(stack: LocalStack, filename: string | undefined, now: Date, figures: DemoFigures): Check[] {
  const altText = filename === undefined ? undefined : uploadAltText(stack, filename);
  const { previousStart } = previousPeriodPoint(monthStart(now), now);
  const sameDay = new Date(previousStart.getTime() + (now.getUTCDate() - 1) * DAY_MS);
  // The chart's point for a day is that day's last snapshot: the check just before midnight.
  const lastCheckOfDay = new Date(sameDay.getTime() + DAY_MS - HOUR_MS);
  const expected = figures.subtotalAt(lastCheckOfDay);
  return [
    check('the chart came with alt text', altText !== undefined && altText.length > 0),
    mentionsAmount(
      `it sets this period against the previous one: ${usd(expected)} by the same day last period`,
      altText,
      expected,
      INTERPOLATION_TOLERANCE_USD,
    ),
  ];
}

/** The hourly check's alerts: one anomaly alert, about the line that jumped, with its day's spend. */
export function anomalyChecks(
  report: AlertTickReport,
  messages: readonly StandInMessage[],
  now: Date,
  figures: DemoFigures,
): Check[] {
  const posted = report.checks
    .flatMap((each) => each.alerts)
    .filter((alert) => alert.kind === 'anomaly' && alert.outcome.status === 'posted');
  const first = posted[0]?.outcome;
  const ts = first && 'ts' in first ? first.ts : undefined;
  const message = messages.find((each) => each.ts === ts);
  const text = message ? allText(message.blocks ?? message.text) : undefined;
  const label = spikedLineLabel();
  // The detector's window is the 24 hours before the latest snapshot, taken at this check.
  const lastDay =
    figures.lineCostAt(DEMO_SPIKE.costType, now) - figures.lineCostAt(DEMO_SPIKE.costType, dayBefore(now));
  return [
    check(
      'exactly one anomaly alert: a cost line jumped today',
      posted.length === 1,
      `${posted.length} anomaly alerts posted`,
    ),
    contains(`it names the line that jumped (${label})`, text, label),
    mentionsAmount(
      `it gives what that line cost in the last 24 hours (${usd(lastDay)})`,
      text,
      lastDay,
      EXACT_TOLERANCE_USD,
    ),
  ];
}

/** A digest: the change since last week, and month over month, with the figures the history implies. */
export function digestTrendChecks(payload: unknown, now: Date, figures: DemoFigures): Check[] {
  const texts = blockTexts(payload);
  const weekAgo = new Date(now.getTime() - 7 * DAY_MS);
  const sinceLastWeek = figures.subtotalAt(now) - figures.subtotalAt(weekAgo);
  return [
    mentionsAmount(
      `it gives the change since last week: ${signedUsd(sinceLastWeek)} since ${utcDate(weekAgo)}`,
      texts.join('\n'),
      sinceLastWeek,
      EXACT_TOLERANCE_USD,
    ),
    ...monthOverMonthChecks(texts, now, figures),
  ];
}

function monthOverMonthChecks(texts: readonly string[], now: Date, figures: DemoFigures): Check[] {
  const { at } = previousPeriodPoint(monthStart(now), now);
  const previous = figures.subtotalAt(at);
  const change = figures.subtotalAt(now) - previous;
  // Both figures in one block, so an unrelated amount elsewhere (an old invoice) cannot pass for either.
  const block = texts.find(
    (text) =>
      hasAmountNear(text, previous, INTERPOLATION_TOLERANCE_USD) &&
      hasAmountNear(text, change, INTERPOLATION_TOLERANCE_USD),
  );
  return [
    check(
      `it sets this month against last month at the same point: ${usd(previous)} then, ${signedUsd(change)} since`,
      block !== undefined,
      `no block gives about ${usd(previous)} and ${usd(change)}; blocks: ${texts.map(squash).join(' | ')}`,
    ),
  ];
}

/** The alt text the app gave when it asked Slack where to upload `filename` (its latest upload of that name). */
function uploadAltText(stack: LocalStack, filename: string): string | undefined {
  const call = stack.slack
    .calls('files.getUploadURLExternal')
    .filter((each) => each.args.filename === filename)
    .at(-1);
  return stringField(call?.args, 'alt_text');
}

/** The text of each block of a message or answer (a section with its fields, a context...), or its fallback text. */
function blockTexts(payload: unknown): string[] {
  const blocks = arrayField(payload, 'blocks');
  if (blocks.length === 0) return [stringField(payload, 'text') ?? ''];
  return blocks.map(allText);
}

function spikedLineLabel(): string {
  const number = costTypeNumber(DEMO_SPIKE.costType);
  return number === undefined ? DEMO_SPIKE.costType : describeCostType(number).label;
}

function monthStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

function dayBefore(at: Date): Date {
  return new Date(at.getTime() - DAY_MS);
}

/** UTC days (`YYYY-MM-DD`) from `from` to `until`, both included. */
function everyDay(from: Date, until: Date): string[] {
  const days: string[] = [];
  const first = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  for (let at = first; at <= until.getTime(); at += DAY_MS) days.push(new Date(at).toISOString().slice(0, 10));
  return days;
}

/** `Sunday, Sep 27, 2026`. */
function utcDate(at: Date): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: 'UTC',
    weekday: 'long',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
  }).format(at);
}

function signedUsd(amount: number): string {
  return `${amount < 0 ? '-' : '+'}${usd(amount)}`;
}

function squash(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
}

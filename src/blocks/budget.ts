/**
 * Answers of `/viam-usage budget …`: an org's budget with where it stands this period, the state of
 * an org without one, and what `budget off` did.
 */
import type { BudgetThreshold } from '../alerts/thresholds';
import type { UsageReport } from '../billing/model';
import type { Projection } from '../billing/projection';
import type { Budget } from '../budgets/budgets';
import { describeThreshold } from './alerts';
import { context, fields, header, section } from './build';
import { escapeMrkdwn, formatDate, formatMoney, formatPercent, inlineCode } from './format';
import { SLASH_COMMAND } from './ids';
import { toMessage } from './limits';
import { userMention } from './mentions';
import type { KnownBlock, PartResult, RenderContext, SlackMessage } from './message';
import { isPartError } from './message';
import { describePeriod } from './period';

export interface BudgetStanding {
  budget: Budget;
  /** This period's usage, or the sentence saying why it could not be read. */
  usage: PartResult<UsageReport>;
  projection?: Projection;
  /** Thresholds of this budget already alerted this period, least serious first. */
  alerted: readonly BudgetThreshold[];
}

const EXAMPLE = `\`${SLASH_COMMAND} budget 1500 #billing\``;
const WHAT_ALERTS =
  'Alerts go out when month-to-date spend reaches 50%, 80% and 100% of it and when the month-end projection goes over it, each once per billing period, and when an invoice is new, overdue or fails to charge.';

/** The budget and where this period stands against it; `justSet` opens with the confirmation. */
export function renderBudgetStanding(standing: BudgetStanding, ctx: RenderContext, justSet = false): SlackMessage {
  const { budget } = standing;
  const org = inlineCode(ctx.orgLabel);
  const channel = `<#${budget.channelId}>`;
  const blocks: KnownBlock[] = [header(`Monthly budget · ${ctx.orgLabel}`)];
  const confirmation = `:white_check_mark: The monthly budget of ${org} is now ${formatMoney(budget.amount)}; alerts go to ${channel}.`;
  if (justSet) blocks.push(section(confirmation));

  const summary = [`*Budget*\n${formatMoney(budget.amount)} a month`, `*Alerts in*\n${channel}`];
  let standingText: string;
  if (isPartError(standing.usage)) {
    standingText = `Where this period stands could not be read just now: ${escapeMrkdwn(standing.usage.error)}`;
    blocks.push(fields(summary), section(standingText));
  } else {
    const usage = standing.usage;
    const spent = `${formatMoney(usage.subtotal)} (${formatPercent(usage.subtotal / budget.amount)})`;
    summary.push(`*Month to date*\n${spent}`);
    summary.push(`*Projected month-end*\n${projectionText(standing.projection, budget.amount)}`);
    const period = describePeriod(usage, ctx.timeZone, ctx.now);
    if (period) summary.push(`*Billing period*\n${period}`);
    standingText = `${spent} spent of ${formatMoney(budget.amount)}.`;
    blocks.push(fields(summary), section(alertedText(standing.alerted)));
  }

  const setBy = userMention(budget.setBy) ?? 'someone';
  blocks.push(
    context(
      `Set by ${setBy} on ${formatDate(new Date(budget.setAt), ctx.timeZone)} · ` +
        `Change: ${inlineCode(`${SLASH_COMMAND} budget <amount> #channel`)} · Remove: ${inlineCode(`${SLASH_COMMAND} budget off`)}`,
    ),
  );
  const opening = justSet
    ? confirmation.replace(':white_check_mark: ', '')
    : `The monthly budget of ${org} is ${formatMoney(budget.amount)}; alerts go to ${channel}.`;
  return toMessage(`${opening} ${standingText}`, blocks);
}

/** The org has no budget: what one does and how to set it. */
export function renderNoBudget(orgLabel: string): SlackMessage {
  const text = `${inlineCode(orgLabel)} has no monthly budget. An admin can set one with ${EXAMPLE}. ${WHAT_ALERTS}`;
  return toMessage(text, [section(text)]);
}

export function renderBudgetRemoved(orgLabel: string, removed: boolean): SlackMessage {
  const text = removed
    ? `The monthly budget of ${inlineCode(orgLabel)} is removed; its alerts stop. Set a new one with ${EXAMPLE}.`
    : `${inlineCode(orgLabel)} had no monthly budget, so there was nothing to remove.`;
  return toMessage(text, [section(text)]);
}

function projectionText(projection: Projection | undefined, budget: number): string {
  if (!projection) return 'Too early in the period to project';
  const over = projection.total - budget;
  const verdict = over >= 0.005 ? `, ${formatMoney(over)} over` : '';
  return `${formatMoney(projection.total)} (${formatPercent(projection.total / budget)} of budget${verdict})`;
}

function alertedText(alerted: readonly BudgetThreshold[]): string {
  if (alerted.length === 0) return `*Alerted this period:* nothing yet.\n${WHAT_ALERTS}`;
  return `*Alerted this period:* ${alerted.map(describeThreshold).join(', ')}.\n${WHAT_ALERTS}`;
}

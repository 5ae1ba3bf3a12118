/**
 * The App Home tab: per connected org the month-to-date spend and projection, the budget, what is
 * owed, and the weekly digests; for admins and connectors, the buttons that open the settings forms.
 * Someone who may not see billing gets the same refusal as the slash command, and the help.
 */
import type { types } from '@slack/bolt';
import type { BudgetThreshold } from '../alerts/thresholds';
import type { InvoicesSummary, UsageReport } from '../billing/model';
import { projectionOf } from '../billing/projection';
import { WEEKDAY_NAMES } from '../digest/weekly-time';
import { actions, button, context, divider, fields, header, section } from './build';
import { channelMention, type ScheduleRow } from './digest-schedules';
import {
  escapeMrkdwn,
  formatDate,
  formatDateTime,
  formatMoney,
  formatPercent,
  inlineCode,
  isValidDate,
} from './format';
import { renderHelp } from './help';
import {
  ACTION_HOME_ACCESS,
  ACTION_HOME_BUDGET,
  ACTION_HOME_CONNECT,
  ACTION_HOME_DIGESTS,
  ACTION_HOME_DISCONNECT,
  ACTION_HOME_SHARE_PDF,
  encodeButtonValue,
  SLASH_COMMAND,
} from './ids';
import { invoiceState, paymentFailureText } from './invoice-words';
import { joinLinesWithin, moreLine, SLACK_LIMITS } from './limits';
import { isPartError, type KnownBlock, type PartError, type PartResult } from './message';
import { noAccessNotice, notConnectedNotice } from './notices';
import { describePeriod } from './period';
import { sharePdfButton } from './share-pdf-button';

export type HomeView = types.HomeView;

/** Viam's answers for one org, read together (and possibly cached for up to a minute). */
export interface OrgBilling {
  usage: PartResult<UsageReport>;
  invoices: PartResult<InvoicesSummary>;
  /** When Viam answered. */
  fetchedAt: Date;
}

export interface HomeBudget {
  /** US dollars per billing period. */
  amount: number;
  /** Where its alerts go. */
  channelId: string;
  /** Thresholds already alerted this billing period, least serious first; absent when unknown. */
  alerted?: readonly BudgetThreshold[];
}

export interface HomeOrg {
  label: string;
  /** Marked only when several orgs are connected. */
  isDefault: boolean;
  /** A PartError when nothing could be read for the org (its key cannot be unsealed, say). */
  billing: OrgBilling | PartError;
  budget?: HomeBudget;
  schedules: ScheduleRow[];
}

export type HomeData =
  | { kind: 'not-connected'; canManage: boolean }
  /** `askUserIds`: who can grant access, as the slash command names them. */
  | { kind: 'no-access'; askUserIds: string[] }
  | { kind: 'dashboard'; canManage: boolean; orgs: HomeOrg[]; timeZone: string; now: Date };

/** Overdue or failed invoices listed per org, each with its Share PDF button; the rest are counted. */
const MAX_ATTENTION_LISTED = 3;

/** Buttons that open no particular org's settings carry this value (a button needs one). */
const NO_ORG_VALUE = 'home';

export function renderHome(data: HomeData): HomeView {
  switch (data.kind) {
    case 'not-connected':
      return homeView([
        header('Viam billing'),
        ...notConnectedNotice().blocks,
        ...(data.canManage ? [actions([connectButton()])] : []),
        divider(),
        ...renderHelp().blocks,
      ]);
    case 'no-access':
      return homeView([
        header('Viam billing'),
        ...noAccessNotice(data.askUserIds).blocks,
        divider(),
        ...renderHelp().blocks,
      ]);
    case 'dashboard':
      return homeView(dashboardBlocks(data));
  }
}

function homeView(blocks: KnownBlock[]): HomeView {
  return { type: 'home', blocks };
}

function dashboardBlocks(data: Extract<HomeData, { kind: 'dashboard' }>): KnownBlock[] {
  // A cached read may be up to a minute old: the tab says how old its oldest figure is.
  const fetched = data.orgs.flatMap((org) => (isPartError(org.billing) ? [] : [org.billing.fetchedAt.getTime()]));
  const asOf = new Date(Math.min(data.now.getTime(), ...fetched));
  const top: KnownBlock[] = [
    header('Viam billing'),
    context(`As of ${formatDateTime(asOf, data.timeZone)}. Refreshed each time you open this tab.`),
  ];
  if (data.canManage) {
    top.push(
      actions([
        connectButton(),
        button({ text: 'Who can see billing', actionId: ACTION_HOME_ACCESS, value: NO_ORG_VALUE }),
      ]),
    );
  }
  top.push(divider());
  const footer = [
    context(
      `Type ${inlineCode(`${SLASH_COMMAND} help`)} in any channel for every command, or ${inlineCode(`${SLASH_COMMAND} usage --org <label>`)} for one org's details.`,
    ),
  ];

  // Slack refuses a Home tab of more than 100 blocks: orgs that do not fit are named in one line.
  let room = SLACK_LIMITS.viewBlocks - top.length - footer.length - 1;
  const shown: KnownBlock[] = [];
  const hidden: string[] = [];
  for (const org of data.orgs) {
    const blocks = orgBlocks(org, data);
    if (hidden.length === 0 && blocks.length <= room) {
      shown.push(...blocks);
      room -= blocks.length;
    } else {
      hidden.push(org.label);
    }
  }
  if (hidden.length > 0) {
    shown.push(
      moreLine(
        `…and ${hidden.length} more ${hidden.length === 1 ? 'org' : 'orgs'} not shown here: ${hidden.map(inlineCode).join(', ')}. Use ${inlineCode(`${SLASH_COMMAND} --org <label>`)}.`,
      ),
    );
  }
  return [...top, ...shown, ...footer];
}

function orgBlocks(org: HomeOrg, data: Extract<HomeData, { kind: 'dashboard' }>): KnownBlock[] {
  const title = org.isDefault && data.orgs.length > 1 ? `${org.label} (default)` : org.label;
  const blocks: KnownBlock[] = [header(title)];
  if (isPartError(org.billing)) {
    blocks.push(problem('Billing', org.billing.error));
  } else {
    blocks.push(...billingBlocks(org, org.billing, data));
  }
  blocks.push(digestsBlock(org.schedules));
  if (data.canManage) blocks.push(...orgActions(org.label));
  blocks.push(divider());
  return blocks;
}

function problem(what: string, error: string): KnownBlock {
  return section(`:warning: *${what} could not be loaded:* ${escapeMrkdwn(error)}`);
}

function billingBlocks(org: HomeOrg, billing: OrgBilling, data: { timeZone: string; now: Date }): KnownBlock[] {
  const { usage, invoices } = billing;
  if (isPartError(usage) && isPartError(invoices)) {
    // Both reads usually fail for the same reason (Viam down, key revoked): one line says it.
    return [problem('Billing', usage.error)];
  }
  const summary: string[] = [];
  const problems: KnownBlock[] = [];
  if (isPartError(usage)) {
    problems.push(problem('Usage', usage.error));
    if (org.budget) summary.push(budgetField(org.budget, undefined, data.now));
  } else {
    summary.push(...usageFields(usage, org.budget, data));
  }
  if (isPartError(invoices)) {
    problems.push(problem('Invoices', invoices.error));
    return [fields(summary), ...problems];
  }
  summary.push(`*Outstanding balance*\n${formatMoney(invoices.outstandingBalance)}`);
  return [fields(summary), ...problems, ...attentionBlocks(org.label, invoices, data)];
}

function usageFields(usage: UsageReport, budget: HomeBudget | undefined, data: { timeZone: string; now: Date }) {
  const period = describePeriod(usage, data.timeZone, data.now);
  const projection = projectionOf(usage, data.now, budget?.amount);
  return [
    `*Month to date*\n${formatMoney(usage.subtotal)}${period === undefined ? '' : `\n${period}`}`,
    `*Projected month-end*\n${projection ? formatMoney(projection.total) : 'Too early in the period to tell'}`,
    budget ? budgetField(budget, usage, data.now) : '*Budget*\nNo budget set',
  ];
}

/** The budget, and how much of it is spent and projected to be spent (when usage is at hand). */
function budgetField(budget: HomeBudget, usage: UsageReport | undefined, now: Date): string {
  const lines = [`*Budget*\n${formatMoney(budget.amount)} a month`];
  if (usage) {
    const standing = projectionOf(usage, now, budget.amount)?.budget;
    const spent = formatPercent(standing?.spentFraction ?? usage.subtotal / budget.amount);
    const projected = standing ? formatPercent(standing.projectedFraction) : 'too early to project';
    lines.push(`${spent} spent · ${projected}${standing ? ' projected' : ''}`);
  }
  const alerted = budget.alerted?.map((threshold) => THRESHOLD_WORDS[threshold]) ?? [];
  lines.push(
    alerted.length > 0
      ? `Alerted in ${channelMention(budget.channelId)}: ${alerted.join(', ')}`
      : `Alerts in ${channelMention(budget.channelId)}`,
  );
  return lines.join('\n');
}

const THRESHOLD_WORDS: Readonly<Record<BudgetThreshold, string>> = {
  'spent-50': '50% spent',
  'spent-80': '80% spent',
  'projected-over': 'projected over',
  'spent-100': '100% spent',
};

function attentionBlocks(orgLabel: string, summary: InvoicesSummary, data: { timeZone: string; now: Date }) {
  const attention = summary.invoices
    .map((invoice) => ({ invoice, state: invoiceState(invoice, data.now) }))
    .filter(({ state }) => state.overdue || state.failed);
  const blocks: KnownBlock[] = attention.slice(0, MAX_ATTENTION_LISTED).map(({ invoice, state }) => {
    const amount = formatMoney(invoice.amount);
    const name = isValidDate(invoice.date)
      ? `${amount} invoice of ${formatDate(invoice.date, data.timeZone)}`
      : `${amount} invoice (no date)`;
    const due = isValidDate(invoice.dueDate) ? `, due ${formatDate(invoice.dueDate, data.timeZone)}` : '';
    const reason = state.failed ? ` ${paymentFailureText(invoice.paymentFailure?.reason ?? '')}.` : '';
    const what = state.overdue ? 'Overdue' : 'Payment failed';
    const share = sharePdfButton(invoice, orgLabel, data.timeZone);
    const text = `:warning: *${what}:* ${name}${due}.${escapeMrkdwn(reason)}`;
    return section(text, share && { ...share, action_id: ACTION_HOME_SHARE_PDF });
  });
  if (attention.length > MAX_ATTENTION_LISTED) {
    blocks.push(
      moreLine(
        `…and ${attention.length - MAX_ATTENTION_LISTED} more that need attention: ${inlineCode(`${SLASH_COMMAND} invoices --org ${orgLabel}`)}`,
      ),
    );
  }
  return blocks;
}

function digestsBlock(schedules: readonly ScheduleRow[]): KnownBlock {
  if (schedules.length === 0) return section('*Weekly digests*\nNone for this org.');
  const lines = schedules.map(
    (row) =>
      `• ${channelMention(row.channelId)} every ${WEEKDAY_NAMES[row.weekday]} at ${row.time}, next ${formatDateTime(row.nextRun, row.timeZone)}`,
  );
  const list = joinLinesWithin(
    lines,
    { chars: SLACK_LIMITS.sectionText - '*Weekly digests*\n'.length },
    (hidden) => `…and ${hidden} more`,
  );
  return section(`*Weekly digests*\n${list}`);
}

function connectButton() {
  return button({ text: 'Connect an org', actionId: ACTION_HOME_CONNECT, value: NO_ORG_VALUE, style: 'primary' });
}

function orgActions(label: string): KnownBlock[] {
  const value = encodeButtonValue({ org: label });
  if (value === undefined) return [];
  const disconnect = {
    ...button({ text: 'Disconnect', actionId: ACTION_HOME_DISCONNECT, value, style: 'danger' }),
    confirm: {
      title: { type: 'plain_text' as const, text: 'Disconnect this org?' },
      text: {
        type: 'mrkdwn' as const,
        text: `This deletes the stored API key of ${inlineCode(label)}: its digests and budget alerts stop until it is connected again. The key itself stays valid in Viam.`,
      },
      confirm: { type: 'plain_text' as const, text: 'Disconnect' },
      deny: { type: 'plain_text' as const, text: 'Cancel' },
      style: 'danger' as const,
    },
  };
  return [
    actions([
      button({ text: 'Budget', actionId: ACTION_HOME_BUDGET, value }),
      button({ text: 'Edit digests', actionId: ACTION_HOME_DIGESTS, value }),
      disconnect,
    ]),
  ];
}

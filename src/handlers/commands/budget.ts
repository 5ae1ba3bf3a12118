import { alertedThresholds } from '../../alerts/ledger';
import { isViamBillingError } from '../../billing/errors';
import type { ViamApiKey } from '../../billing/model';
import { projectionOf } from '../../billing/projection';
import { type BudgetStanding, renderBudgetRemoved, renderBudgetStanding, renderNoBudget } from '../../blocks/budget';
import { renderChannelProblem } from '../../blocks/digest-schedules';
import type { RenderContext } from '../../blocks/message';
import { errorNotice } from '../../blocks/notices';
import type { Budget } from '../../budgets/budgets';
import { removeBudget, saveBudget } from '../../services/budget-settings';
import { channelProblem, isChannelId } from '../../services/digest-settings';
import type { ConnectedOrg } from '../../store';
import { authorizeManagement, openOrgForViewing, pickOrg } from '../org-access';
import type { SlackRequest } from '../request';
import type { ParsedCommand } from './parse';

type BudgetCommand = Extract<ParsedCommand, { kind: 'budget' }>;

const NOT_A_CHANNEL =
  'Budget alerts go to a channel, not a direct message. Name one, e.g. `/viam-usage budget 1500 #billing`, or run the command in that channel.';

/**
 * `/viam-usage budget …`: anyone who may view billing sees the budget and where the period stands;
 * setting and removing it need admin or connector rights.
 */
export async function manageBudget(request: SlackRequest, command: BudgetCommand): Promise<void> {
  if (command.action === 'set') return setBudget(request, command);
  if (command.action === 'show') return showBudget(request, command);
  const managed = await managedOrg(request, command.org);
  if (managed) await request.reply(renderBudgetRemoved(managed.org.label, await removeBudget(request, managed.org)));
}

async function setBudget(request: SlackRequest, command: Extract<BudgetCommand, { action: 'set' }>): Promise<void> {
  const managed = await managedOrg(request, command.org);
  if (!managed) return;
  const { org, render } = managed;
  const channelId = command.channelId ?? request.channelId;
  if (channelId === undefined || !isChannelId(channelId)) return request.reply(errorNotice(NOT_A_CHANNEL));
  const problem = await channelProblem(request.client, channelId);
  if (problem) return request.reply(renderChannelProblem(channelId, problem));

  const budget = await saveBudget(request, org, { amount: command.amount, channelId });
  const key = await request.services.store.workspaces.revealApiKey(request.ref, org.label);
  await request.reply(renderBudgetStanding(await standingOf(request, org, key, budget, render.now), render, true));
}

/** The org a manager means to change, or undefined when refused or unknown (and answered). */
async function managedOrg(
  request: SlackRequest,
  label: string | undefined,
): Promise<{ org: ConnectedOrg; render: RenderContext } | undefined> {
  const allowed = await authorizeManagement(request);
  if (!allowed) return undefined;
  const { workspace, facts } = allowed;
  const org = await pickOrg(request, workspace, label);
  if (!org) return undefined;
  const timeZone = facts.timeZone ?? workspace.preferences.timeZone ?? 'UTC';
  return { org, render: { orgLabel: org.label, timeZone, now: request.services.now() } };
}

async function showBudget(request: SlackRequest, command: BudgetCommand): Promise<void> {
  const opened = await openOrgForViewing(request, command.org);
  if (!opened) return;
  const budget = await request.services.budgets.get(request.ref, opened.org.orgId);
  if (!budget) return request.reply(renderNoBudget(opened.org.label), { share: command.share });
  const standing = await standingOf(request, opened.org, opened.key, budget, opened.render.now);
  await request.reply(renderBudgetStanding(standing, opened.render), { share: command.share });
}

/** Where the period stands against the budget; Viam being unreachable costs the numbers, not the answer. */
async function standingOf(
  request: SlackRequest,
  org: ConnectedOrg,
  key: ViamApiKey,
  budget: Budget,
  now: Date,
): Promise<BudgetStanding> {
  let usage: Awaited<ReturnType<typeof request.billing.getCurrentMonthUsage>>;
  try {
    usage = await request.billing.getCurrentMonthUsage(key, org.orgId);
  } catch (error) {
    if (!isViamBillingError(error)) throw error;
    request.logger.warn({ code: error.kind }, 'budget standing without usage: Viam read failed');
    return { budget, usage: { error: error.message }, alerted: [] };
  }
  const projection = projectionOf(usage, now, budget.amount);
  const alerted = await alertedThresholds(request.services.store, request.ref, budget, usage.periodStart);
  return { budget, usage, alerted, ...(projection ? { projection } : {}) };
}

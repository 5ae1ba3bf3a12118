import type { webApi } from '@slack/bolt';
import { alertedThresholds } from '../alerts/ledger';
import type { HomeBudget, HomeData, HomeOrg, OrgBilling } from '../blocks/home';
import { isPartError, type PartError } from '../blocks/message';
import type { Budget } from '../budgets/budgets';
import { nextOccurrence } from '../digest/occurrences';
import type { DigestSchedule } from '../digest/schedules';
import type { Logger } from '../logger';
import { canManage, canView } from '../services/access';
import type { AppServices } from '../services/app-services';
import { describeFailure } from '../services/user-errors';
import { type ConnectedOrg, defaultOrg, findOrg, type Workspace, type WorkspaceRef } from '../store';
import { homeBillingCache, isComplete, orgBillingCacheKey, readOrgBilling } from './org-billing';

/** Whose Home tab, in which workspace, and how to reach Slack and Viam for it. A SlackRequest is one. */
export interface HomeReader {
  ref: WorkspaceRef;
  userId: string;
  client: webApi.WebClient;
  logger: Logger;
  services: AppServices;
}

/**
 * Everything the Home tab shows this user, decided afresh on every open: rights and settings come
 * from the store each time; only Viam's answers may come from the minute-long cache.
 */
export async function loadHome(reader: HomeReader): Promise<HomeData> {
  const { services, ref, userId } = reader;
  const [workspace, facts] = await Promise.all([
    services.store.workspaces.get(ref),
    services.slackUsers.lookup(reader.client, ref.teamId, userId),
  ]);
  const manage = canManage(workspace, userId, facts.isAdmin).allowed;
  if (workspace.orgs.length === 0) return { kind: 'not-connected', canManage: manage };
  const access = canView(workspace, userId, facts.isAdmin);
  if (!access.allowed) {
    // The app itself "connected" an org given in the environment, and is nobody to ask.
    return { kind: 'no-access', askUserIds: access.askUserIds.filter((id) => id !== services.botUserId) };
  }

  const now = services.now();
  const [budgets, schedules] = await Promise.all([
    services.budgets.listFor(ref),
    services.digests.schedules.listFor(ref),
  ]);
  const orgs = await Promise.all(
    workspace.orgs.map((org) => homeOrg(reader, workspace, org, { budgets, schedules, now })),
  );
  return {
    kind: 'dashboard',
    canManage: manage,
    orgs,
    timeZone: facts.timeZone ?? workspace.preferences.timeZone ?? 'UTC',
    now,
  };
}

async function homeOrg(
  reader: HomeReader,
  workspace: Workspace,
  org: ConnectedOrg,
  settings: { budgets: readonly Budget[]; schedules: readonly DigestSchedule[]; now: Date },
): Promise<HomeOrg> {
  const budget = settings.budgets.find((candidate) => candidate.orgId === org.orgId);
  const billing = await orgBilling(reader, org);
  return {
    label: org.label,
    isDefault: defaultOrg(workspace)?.label === org.label,
    billing,
    ...(budget ? { budget: await homeBudget(reader, budget, billing) } : {}),
    schedules: settings.schedules
      .filter((schedule) => findOrg(workspace, schedule.orgLabel)?.label === org.label)
      .map((schedule) => ({ ...schedule, nextRun: nextOccurrence(schedule, settings.now).at })),
  };
}

/** One org's Viam reads; any failure stays inside that org's part of the tab. */
async function orgBilling(reader: HomeReader, org: ConnectedOrg): Promise<OrgBilling | PartError> {
  const { services, ref, logger } = reader;
  const cache = homeBillingCache(services, services.now);
  try {
    return await cache.get(
      orgBillingCacheKey(ref, org),
      async () => {
        const key = await services.store.workspaces.revealApiKey(ref, org.label);
        return readOrgBilling(services.billing, key, org.orgId, logger, services.now);
      },
      isComplete,
    );
  } catch (error) {
    logger.warn({ err: error, orgId: org.orgId }, 'an org of the Home tab could not be loaded');
    return { error: describeFailure(error).message };
  }
}

/** The budget, with the thresholds already alerted this billing period when the period is known. */
async function homeBudget(reader: HomeReader, budget: Budget, billing: OrgBilling | PartError): Promise<HomeBudget> {
  const shown: HomeBudget = { amount: budget.amount, channelId: budget.channelId };
  if (isPartError(billing) || isPartError(billing.usage)) return shown;
  try {
    const alerted = await alertedThresholds(reader.services.store, reader.ref, budget, billing.usage.periodStart);
    return { ...shown, alerted };
  } catch (error) {
    // Only a detail of the tab: without it the budget still shows.
    reader.logger.warn({ err: error, orgId: budget.orgId }, 'alerted budget thresholds could not be read');
    return shown;
  }
}

/**
 * Everything a digest needs before it can be posted: the org's key from the store, this month's usage
 * and invoices from Viam (in parallel), last week's snapshot, then compose and render.
 */
import type { BillingClient } from '../billing/client';
import type { UsageReport } from '../billing/model';
import { renderDigest } from '../blocks/digest';
import type { SlackMessage } from '../blocks/message';
import type { Logger } from '../logger';
import { findOrg, isStoreError, type Store, type WorkspaceRef } from '../store';
import { type InvoicedMonth, invoicedMonths } from '../trends/invoiced-months';
import { monthOverMonthFor } from '../trends/month-over-month-history';
import { composeDigest } from './compose';
import { OrgDisconnectedError } from './failures';
import type { UsageSnapshots } from './snapshots';
import type { WeeklyTime } from './weekly-time';

export interface DigestTarget {
  channelId: string;
  orgLabel: string;
  timeZone: string;
  /** The channel's weekly schedule, for the footer; absent for a one-off digest. */
  schedule?: WeeklyTime;
}

export interface PreparedDigest {
  message: SlackMessage;
  orgId: string;
  usage: UsageReport;
  /** The months Viam has billed, for the digest's chart. */
  invoicedMonths: InvoicedMonth[];
}

export interface PrepareDeps {
  store: Store;
  billing: BillingClient;
  snapshots: UsageSnapshots;
  logger: Logger;
  /** Monthly budget of an org in US dollars, once budgets exist. */
  budgetFor?: (ref: WorkspaceRef, orgId: string) => Promise<number | undefined>;
}

/** The org's current usage, read with its stored key; OrgDisconnectedError when the label is gone. */
export async function readUsage(
  deps: PrepareDeps,
  ref: WorkspaceRef,
  orgLabel: string,
): Promise<{ orgId: string; label: string; usage: UsageReport }> {
  const { org, key } = await connectedOrg(deps, ref, orgLabel);
  return { orgId: org.orgId, label: org.label, usage: await deps.billing.getCurrentMonthUsage(key, org.orgId) };
}

export async function prepareDigest(
  deps: PrepareDeps,
  ref: WorkspaceRef,
  target: DigestTarget,
  now: Date,
  late: boolean,
): Promise<PreparedDigest> {
  const { org, key } = await connectedOrg(deps, ref, target.orgLabel);
  const [usage, invoices] = await Promise.all([
    deps.billing.getCurrentMonthUsage(key, org.orgId),
    deps.billing.getInvoicesSummary(key, org.orgId),
  ]);
  const previous = await comparison(deps, ref, org.orgId, now);
  const budget = deps.budgetFor ? await deps.budgetFor(ref, org.orgId) : undefined;
  const monthOverMonth = await monthOverMonthFor(
    deps.snapshots,
    { ref, orgId: org.orgId, now, logger: deps.logger },
    usage,
  );
  const data = composeDigest({
    usage,
    invoices,
    previous,
    now,
    ...(budget === undefined ? {} : { budget }),
    ...(monthOverMonth ? { monthOverMonth } : {}),
  });
  const message = renderDigest(data, {
    orgLabel: org.label,
    timeZone: target.timeZone,
    now,
    channelId: target.channelId,
    ...(target.schedule ? { schedule: target.schedule } : {}),
    late,
  });
  return { message, orgId: org.orgId, usage, invoicedMonths: invoicedMonths(invoices, usage.periodStart) };
}

/** The org behind a label and its API key, from one read of the workspace. */
async function connectedOrg(deps: PrepareDeps, ref: WorkspaceRef, orgLabel: string) {
  const { workspace, revealApiKey } = await deps.store.workspaces.getWithKeys(ref);
  const org = findOrg(workspace, orgLabel);
  if (!org) throw new OrgDisconnectedError(orgLabel);
  return { org, key: revealApiKey(org.label) };
}

/** An unreadable history costs the week-over-week lines, not the digest. */
async function comparison(deps: PrepareDeps, ref: WorkspaceRef, orgId: string, now: Date) {
  try {
    return await deps.snapshots.comparisonFor(ref, orgId, now);
  } catch (error) {
    if (!isStoreError(error) || error.kind !== 'corrupt') throw error;
    deps.logger.warn({ teamId: ref.teamId, orgId }, 'usage snapshots unreadable; digest goes out without changes');
    return undefined;
  }
}

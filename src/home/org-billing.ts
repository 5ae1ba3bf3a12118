import type { BillingClient } from '../billing';
import type { ViamApiKey } from '../billing/model';
import type { OrgBilling } from '../blocks/home';
import { isPartError } from '../blocks/message';
import type { Logger } from '../logger';
import { describeFailure } from '../services/user-errors';
import { type ConnectedOrg, type WorkspaceRef, workspacePrefix } from '../store';
import { TtlCache } from './cache';

/**
 * The two Viam reads behind one org's part of the Home tab, in parallel. One failing read does not
 * hide the other: its place carries a user-safe sentence instead.
 */
export async function readOrgBilling(
  billing: BillingClient,
  key: ViamApiKey,
  orgId: string,
  logger: Logger,
  now: () => Date,
): Promise<OrgBilling> {
  const [usage, invoices] = await Promise.allSettled([
    billing.getCurrentMonthUsage(key, orgId),
    billing.getInvoicesSummary(key, orgId),
  ]);
  const part = <T>(result: PromiseSettledResult<T>, what: string): T | { error: string } => {
    if (result.status === 'fulfilled') return result.value;
    logger.warn({ err: result.reason, part: what, orgId }, 'part of the Home tab could not be loaded');
    return { error: describeFailure(result.reason).message };
  };
  return { usage: part(usage, 'usage'), invoices: part(invoices, 'invoices'), fetchedAt: now() };
}

/** Only complete answers are reused: a part that failed is asked again on the next open. */
export function isComplete(billing: OrgBilling): boolean {
  return !isPartError(billing.usage) && !isPartError(billing.invoices);
}

/** One cache per app instance (keyed on its services object), so apps in one process never share. */
const caches = new WeakMap<object, TtlCache<OrgBilling>>();

export function homeBillingCache(owner: object, now: () => Date): TtlCache<OrgBilling> {
  let cache = caches.get(owner);
  if (!cache) {
    cache = new TtlCache<OrgBilling>(now);
    caches.set(owner, cache);
  }
  return cache;
}

/**
 * Per workspace and org; the key ID is part of it so that reconnecting an org with another key
 * never shows what the old key read.
 */
export function orgBillingCacheKey(ref: WorkspaceRef, org: Pick<ConnectedOrg, 'orgId' | 'apiKeyId'>): string {
  return `${workspacePrefix(ref)}|${org.orgId}|${org.apiKeyId}`;
}

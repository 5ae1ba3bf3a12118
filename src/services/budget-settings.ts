/**
 * Setting and removing an org's budget from the Home tab: the store change, its log line and its
 * audit entry always go together.
 */
import { recordQuietly } from '../audit/trail';
import type { Budget } from '../budgets/budgets';
import { type ConnectedOrg, isStoreError } from '../store';
import type { SettingsActor } from './settings-actor';

export async function saveBudget(
  actor: SettingsActor,
  org: ConnectedOrg,
  input: { amount: number; channelId: string },
): Promise<Budget> {
  const budget = await actor.services.budgets.set(actor.ref, {
    orgId: org.orgId,
    amount: input.amount,
    channelId: input.channelId,
    setBy: actor.userId,
    setAt: actor.services.now().toISOString(),
  });
  actor.logger.info({ orgId: org.orgId, amount: budget.amount, channel: budget.channelId }, 'budget set');
  await recordQuietly(
    actor.services.audit,
    actor.ref,
    {
      action: 'budget.set',
      actor: actor.userId,
      org: org.label,
      orgId: org.orgId,
      amount: budget.amount,
      channel: budget.channelId,
    },
    actor.logger,
  );
  return budget;
}

/** True when there was a budget to remove. */
export async function removeBudget(actor: SettingsActor, org: ConnectedOrg): Promise<boolean> {
  const removed = await actor.services.budgets.remove(actor.ref, org.orgId);
  if (removed) {
    actor.logger.info({ orgId: org.orgId }, 'budget removed');
    await recordQuietly(
      actor.services.audit,
      actor.ref,
      { action: 'budget.removed', actor: actor.userId, org: org.label, orgId: org.orgId },
      actor.logger,
    );
  }
  return removed;
}

/** The org's budget as the form shows it; `unreadable` when one is saved but can no longer be read. */
export interface CurrentBudget {
  budget?: Budget;
  unreadable: boolean;
}

/**
 * The org's budget for the form. One that can no longer be read (the store logs it) shows as none
 * that can still be removed, so the form is a way out of it.
 */
export async function currentBudget(
  actor: Pick<SettingsActor, 'ref' | 'services'>,
  orgId: string,
): Promise<CurrentBudget> {
  try {
    const budget = await actor.services.budgets.get(actor.ref, orgId);
    return budget ? { budget, unreadable: false } : { unreadable: false };
  } catch (error) {
    if (isStoreError(error) && error.kind === 'corrupt') return { unreadable: true };
    throw error;
  }
}

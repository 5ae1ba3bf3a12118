/**
 * Monthly budgets, one per (workspace, connected org), kept in the store so they survive restarts
 * and are deleted with the workspace. A budget also names the channel its alerts go to: budget
 * thresholds, invoice events and (later) spend anomalies for that org all post there.
 */
import { z } from 'zod';
import type { Logger } from '../logger';
import { type RecordCollection, type RecordType, type Store, StoreError, type WorkspaceRef } from '../store';

export interface Budget {
  /** The Viam org the budget is for. */
  orgId: string;
  /** US dollars per billing period. */
  amount: number;
  /** Where alerts for this org are posted. */
  channelId: string;
  /** Slack user who set it. */
  setBy: string;
  /** ISO 8601. */
  setAt: string;
  /**
   * ISO 8601: when the current amount was first set. Setting the same amount again (say, to move the
   * alerts to another channel) keeps it; a new amount, or a budget set after none, starts it over,
   * and with it the thresholds already alerted this period.
   */
  amountSetAt: string;
}

/** What a caller gives to set a budget; when the amount took effect is the store's business. */
export type BudgetInput = Omit<Budget, 'amountSetAt'>;

/** Budgets above this are almost certainly a typo (an extra zero or two). */
export const MAX_BUDGET = 10_000_000;

const CHANNEL_ID = /^[CG][A-Z0-9]{2,30}$/;

const budgetSchema = z.object({
  orgId: z.string().min(1).max(64),
  amount: z.number().finite().positive().max(MAX_BUDGET),
  channelId: z.string().regex(CHANNEL_ID),
  setBy: z.string().regex(/^[UW][A-Z0-9]{1,31}$/),
  setAt: z.iso.datetime(),
  amountSetAt: z.iso.datetime().optional(),
});

/** Budgets saved before `amountSetAt` existed read as set in one go. */
const storedBudgetSchema = budgetSchema.transform(
  (stored): Budget => ({ ...stored, amountSetAt: stored.amountSetAt ?? stored.setAt }),
);

export const BUDGET_RECORD: RecordType<Budget> = {
  kind: 'budget',
  version: 1,
  schema: storedBudgetSchema,
  unreadableMessage:
    "This org's saved budget could not be read. Set it again with `/viam-usage budget <amount>`, or remove it with `/viam-usage budget off`.",
};

export class Budgets {
  private readonly records: RecordCollection<Budget>;

  constructor(
    store: Store,
    private readonly logger: Logger,
  ) {
    this.records = store.records(BUDGET_RECORD);
  }

  /** Sets or replaces the org's budget. Amounts are kept to the cent. */
  async set(ref: WorkspaceRef, budget: BudgetInput): Promise<Budget> {
    const amount = Math.round(budget.amount * 100) / 100;
    if (!(amount > 0) || amount > MAX_BUDGET) {
      throw new StoreError(
        'invalid',
        `A budget is an amount in US dollars between $0.01 and $${MAX_BUDGET.toLocaleString('en-US')}.`,
      );
    }
    let stored: Budget | undefined;
    await this.records.update(ref, budget.orgId, (current) => {
      const sameAmount = current !== undefined && current.amount === amount;
      stored = { ...budget, amount, amountSetAt: sameAmount ? current.amountSetAt : budget.setAt };
      return stored;
    });
    return stored as Budget;
  }

  async get(ref: WorkspaceRef, orgId: string): Promise<Budget | undefined> {
    return this.records.get(ref, orgId);
  }

  /** The budget amount, or undefined when none is set or it cannot be read (logged by the store). */
  async amountFor(ref: WorkspaceRef, orgId: string): Promise<number | undefined> {
    try {
      return (await this.records.get(ref, orgId))?.amount;
    } catch (error) {
      this.logger.warn({ teamId: ref.teamId, orgId, err: String(error) }, 'budget unreadable; going on without it');
      return undefined;
    }
  }

  /** True when there was a budget to remove. */
  async remove(ref: WorkspaceRef, orgId: string): Promise<boolean> {
    return this.records.delete(ref, orgId);
  }

  /** The workspace's readable budgets; unreadable ones are logged and left out. */
  async listFor(ref: WorkspaceRef): Promise<Budget[]> {
    const listing = await this.records.list(ref);
    if (listing.unreadable.length > 0) {
      this.logger.warn({ orgs: listing.unreadable.map(({ id }) => id) }, 'skipping budgets that cannot be read');
    }
    return listing.records.map(({ value }) => value);
  }
}

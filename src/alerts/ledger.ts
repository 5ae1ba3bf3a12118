/**
 * What became of each alert, kept in the store so that nothing is alerted twice across restarts and
 * replicas. One record per (org, alert): a budget threshold in one billing period at one budget
 * amount, or one event of one invoice. A record is written 'posting' before the message goes out and
 * 'posted' after, like a digest run, so a crash in between is settled by looking for the message in
 * the channel instead of posting it again.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { utcDay } from '../digest/snapshots';
import type { RecordCollection, RecordType, Store, WorkspaceRef } from '../store';
import { INVOICE_EVENTS, type InvoiceEvent, type RecordedEvents } from './invoice-events';
import { BUDGET_THRESHOLDS, type BudgetThreshold } from './thresholds';

export type AlertState =
  /** About to post (or posted, and the process died before saying so). */
  | 'posting'
  | 'posted'
  /** Slack refused the last attempt, so nothing went out; the next check tries again. */
  | 'failed'
  /** Told as part of a more serious alert found at the same time. */
  | 'covered'
  /** Passed over on purpose: an invoice that was already there when the budget was set is not "new". */
  | 'seen';

/** States after which the alert is never sent. */
export const DONE_STATES: ReadonlySet<AlertState> = new Set(['posted', 'covered', 'seen']);

export interface AlertRecord {
  orgId: string;
  /** `budget:<period start day>:<amount set at, ms>:<threshold>`, `invoice:<invoice>:<event>` or `anomaly:<day>:<line>`. */
  alertId: string;
  state: AlertState;
  /** Budget alerts: the billing period's start, ISO 8601; old periods' records are pruned by it. */
  periodStart?: string;
  /** Invoice alerts: Viam's invoice ID. */
  invoiceId?: string;
  channelId?: string;
  /** ISO 8601: a post was attempted and its outcome is unknown; the next attempt looks for it first. */
  postAttemptedAt?: string;
  messageTs?: string;
  /** The alert whose message told this one. */
  coveredBy?: string;
  attempts: number;
  /** Log code of the last failed attempt, e.g. `slack_not_in_channel`. */
  failure?: string;
  updatedAt: string;
}

const alertSchema = z.object({
  orgId: z.string().min(1).max(64),
  alertId: z.string().min(1).max(120),
  state: z.enum(['posting', 'posted', 'failed', 'covered', 'seen']),
  periodStart: z.iso.datetime().optional(),
  invoiceId: z.string().max(200).optional(),
  channelId: z.string().max(40).optional(),
  postAttemptedAt: z.iso.datetime().optional(),
  messageTs: z.string().max(40).optional(),
  coveredBy: z.string().max(120).optional(),
  attempts: z.number().int().nonnegative(),
  failure: z.string().max(100).optional(),
  updatedAt: z.iso.datetime(),
});

export const ALERT_RECORD: RecordType<AlertRecord> = {
  kind: 'alert',
  version: 1,
  schema: alertSchema as z.ZodType<AlertRecord>,
};

/** Which budget (by when its amount was set) has had its org's existing invoices recorded as seen. */
interface InvoiceBaseline {
  orgId: string;
  amountSetAt: string;
  recordedAt: string;
}

export const ALERT_BASELINE_RECORD: RecordType<InvoiceBaseline> = {
  kind: 'alert-baseline',
  version: 1,
  schema: z.object({ orgId: z.string().min(1).max(64), amountSetAt: z.iso.datetime(), recordedAt: z.iso.datetime() }),
};

/** Budget alert records are kept this long after their period started, then pruned. */
export const BUDGET_RECORD_RETENTION_MS = 100 * 24 * 60 * 60_000;
/** Records of an invoice Viam no longer lists are pruned this long after they were last written. */
export const INVOICE_RECORD_RETENTION_MS = 400 * 24 * 60 * 60_000;

export function budgetAlertId(periodStart: Date, amountSetAt: string, threshold: BudgetThreshold): string {
  return `budget:${utcDay(periodStart)}:${Date.parse(amountSetAt)}:${threshold}`;
}

/** One anomaly alert per line (or category) per UTC day. */
export function anomalyAlertId(now: Date, seriesKey: string): string {
  return `anomaly:${utcDay(now)}:${seriesKey.length <= 80 && /^[A-Za-z0-9_:.-]+$/.test(seriesKey) ? seriesKey : createHash('sha256').update(seriesKey, 'utf8').digest('hex').slice(0, 32)}`;
}

export function invoiceAlertId(invoiceId: string, event: InvoiceEvent): string {
  return `invoice:${invoiceKey(invoiceId)}:${event}`;
}

/** Stripe's IDs (`in_1Q…`) as they are; anything else, or too long for a store key, by its hash. */
function invoiceKey(invoiceId: string): string {
  return /^[A-Za-z0-9_-]{1,64}$/.test(invoiceId)
    ? invoiceId
    : `h-${createHash('sha256').update(invoiceId, 'utf8').digest('hex').slice(0, 32)}`;
}

function recordId(orgId: string, alertId: string): string {
  return `${orgId}:${alertId}`;
}

export class AlertLedger {
  private readonly alerts: RecordCollection<AlertRecord>;
  private readonly baselines: RecordCollection<InvoiceBaseline>;

  constructor(store: Store) {
    this.alerts = store.records(ALERT_RECORD);
    this.baselines = store.records(ALERT_BASELINE_RECORD);
  }

  get(ref: WorkspaceRef, orgId: string, alertId: string): Promise<AlertRecord | undefined> {
    return this.alerts.get(ref, recordId(orgId, alertId));
  }

  async put(ref: WorkspaceRef, record: AlertRecord): Promise<void> {
    await this.alerts.set(ref, recordId(record.orgId, record.alertId), record);
  }

  /**
   * The claim that makes one process the only one sending an alert: the record's own key, so it is
   * removed with the workspace like everything else.
   */
  claimKey(ref: WorkspaceRef, orgId: string, alertId: string): string {
    return this.alerts.key(ref, recordId(orgId, alertId));
  }

  /** Marks alerts done without a message of their own; ones already done are left as they are. */
  async markDone(
    ref: WorkspaceRef,
    base: Pick<AlertRecord, 'orgId' | 'periodStart' | 'invoiceId' | 'coveredBy' | 'updatedAt'>,
    alertIds: readonly string[],
    state: 'covered' | 'seen',
  ): Promise<void> {
    for (const alertId of alertIds) {
      await this.alerts.update(ref, recordId(base.orgId, alertId), (current) =>
        current !== undefined && DONE_STATES.has(current.state)
          ? current
          : { ...withoutUndefined(base), alertId, state, attempts: current?.attempts ?? 0 },
      );
    }
  }

  /** The thresholds of this period and budget amount that were alerted (or told with a more serious one). */
  async doneThresholds(
    ref: WorkspaceRef,
    orgId: string,
    periodStart: Date,
    amountSetAt: string,
  ): Promise<Set<BudgetThreshold>> {
    const records = await Promise.all(
      BUDGET_THRESHOLDS.map((threshold) => this.get(ref, orgId, budgetAlertId(periodStart, amountSetAt, threshold))),
    );
    return new Set(BUDGET_THRESHOLDS.filter((_threshold, index) => isDone(records[index])));
  }

  /** For each invoice, the events already dealt with. */
  async recordedInvoiceEvents(
    ref: WorkspaceRef,
    orgId: string,
    invoiceIds: readonly string[],
  ): Promise<RecordedEvents> {
    const unique = [...new Set(invoiceIds.filter((id) => id !== ''))];
    const entries = await Promise.all(
      unique.map(async (invoiceId) => {
        const records = await Promise.all(
          INVOICE_EVENTS.map((event) => this.get(ref, orgId, invoiceAlertId(invoiceId, event))),
        );
        const done = new Set(INVOICE_EVENTS.filter((_event, index) => isDone(records[index])));
        return [invoiceId, done] as const;
      }),
    );
    return new Map(entries);
  }

  /** True once the org's invoices were recorded for the budget whose amount was set at `amountSetAt`. */
  async hasBaseline(ref: WorkspaceRef, orgId: string, amountSetAt: string): Promise<boolean> {
    return (await this.baselines.get(ref, orgId))?.amountSetAt === amountSetAt;
  }

  async setBaseline(ref: WorkspaceRef, orgId: string, amountSetAt: string, now: Date): Promise<void> {
    await this.baselines.set(ref, orgId, { orgId, amountSetAt, recordedAt: now.toISOString() });
  }

  /**
   * Deletes this org's budget records of periods long gone and the records of invoices Viam no longer
   * lists; what is left is what a check can still ask about. Returns how many were deleted.
   */
  async prune(ref: WorkspaceRef, orgId: string, listedInvoiceIds: ReadonlySet<string>, now: Date): Promise<number> {
    const listing = await this.alerts.list(ref);
    const doomed = listing.records.filter(({ value }) => {
      if (value.orgId !== orgId) return false;
      const age = now.getTime() - Date.parse(value.periodStart ?? value.updatedAt);
      if (value.invoiceId !== undefined) {
        return !listedInvoiceIds.has(value.invoiceId) && age > INVOICE_RECORD_RETENTION_MS;
      }
      return value.periodStart !== undefined && age > BUDGET_RECORD_RETENTION_MS;
    });
    for (const { id } of doomed) await this.alerts.delete(ref, id);
    return doomed.length;
  }
}

function isDone(record: AlertRecord | undefined): boolean {
  return record !== undefined && DONE_STATES.has(record.state);
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

/**
 * For the App Home and `/viam-usage budget`: the thresholds of `budget` already alerted in the billing
 * period starting at `periodStart`, least serious first. Thresholds alerted before the amount was
 * last changed do not count: a new amount starts over.
 */
export async function alertedThresholds(
  store: Store,
  ref: WorkspaceRef,
  budget: { orgId: string; amountSetAt: string },
  periodStart: Date,
): Promise<BudgetThreshold[]> {
  const done = await new AlertLedger(store).doneThresholds(ref, budget.orgId, periodStart, budget.amountSetAt);
  return BUDGET_THRESHOLDS.filter((threshold) => done.has(threshold));
}

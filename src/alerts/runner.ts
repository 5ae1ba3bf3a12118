/**
 * One alert check of one connected org: record the hour's usage snapshot if it has none yet, and for
 * an org with a budget (which names the alert channel), alert the thresholds crossed, the invoice
 * events found and unusual spend on a cost line (src/anomalies). Each alert is sent
 * exactly once across replicas and restarts, through the posting path digests use too
 * (src/posting/exactly-once.ts):
 *
 *   claim (atomic, in the store) -> re-read the record -> reconcile an interrupted post ->
 *   mark what it covers -> record 'posting' -> post (tagged) -> record 'posted'
 *
 * A check never throws: whatever fails (Viam, the key, Slack, the store) is logged with a code,
 * reported, and left for the next check.
 */
import { webApi } from '@slack/bolt';
import { detectAnomalies } from '../anomalies/detect';
import { AnomalySettingsStore } from '../anomalies/settings';
import type { BillingClient } from '../billing/client';
import type { InvoicesSummary, UsageReport } from '../billing/model';
import { projectionOf } from '../billing/projection';
import { renderBudgetAlert, renderInvoiceAlert } from '../blocks/alerts';
import { renderAnomalyAlert } from '../blocks/anomaly-alert';
import type { SlackMessage } from '../blocks/message';
import type { Budget } from '../budgets/budgets';
import { classifyFailure } from '../digest/failures';
import { ChannelPacer, realSleep } from '../digest/pacing';
import { snapshotOf, type UsageSnapshot, UsageSnapshots } from '../digest/snapshots';
import { AlertFeedback } from '../feedback/choices';
import { errorName, type Logger } from '../logger';
import { BUSY, defaultOwner, ExactlyOncePoster, type TaggedTarget } from '../posting/exactly-once';
import { type ConnectedOrg, type Store, type WorkspaceRef, workspaceScopedKey } from '../store';
import { type InvoiceEvent, planInvoiceAlerts } from './invoice-events';
import { AlertLedger, type AlertRecord, anomalyAlertId, budgetAlertId, DONE_STATES, invoiceAlertId } from './ledger';
import { type BudgetThreshold, crossedThresholds, planBudgetAlert } from './thresholds';

/** Message metadata of alerts, so an interrupted post can be found in the channel's history. */
export const ALERT_EVENT_TYPE = 'viam_billing_alert';

export const DEFAULT_ALERT_CLAIM_TTL_MS = 5 * 60_000;

/** Closed set of metric labels: one per threshold and invoice event. */
export type AlertKind =
  | 'budget_50'
  | 'budget_80'
  | 'budget_100'
  | 'budget_projected'
  | 'invoice_new'
  | 'invoice_overdue'
  | 'invoice_payment_failed'
  | 'anomaly';

export const ALERT_KINDS: readonly AlertKind[] = [
  'budget_50',
  'budget_80',
  'budget_100',
  'budget_projected',
  'invoice_new',
  'invoice_overdue',
  'invoice_payment_failed',
  'anomaly',
];

const THRESHOLD_KINDS: Readonly<Record<BudgetThreshold, AlertKind>> = {
  'spent-50': 'budget_50',
  'spent-80': 'budget_80',
  'spent-100': 'budget_100',
  'projected-over': 'budget_projected',
};

const EVENT_KINDS: Readonly<Record<InvoiceEvent, AlertKind>> = {
  new: 'invoice_new',
  overdue: 'invoice_overdue',
  'payment-failed': 'invoice_payment_failed',
};

export interface AlertRunnerOptions {
  store: Store;
  billing: BillingClient;
  /** The Web API client for a workspace (one client in single-workspace mode). */
  clientFor: (ref: WorkspaceRef) => Promise<webApi.WebClient>;
  logger: Logger;
  now?: () => Date;
  /** Names this process in claims; default host, pid and a random suffix. */
  owner?: string;
  /** How long a claim protects an alert (or a day's snapshot) being worked on. Default 5 minutes. */
  claimTtlMs?: number;
  /** Spaces posts per channel; share the digest runner's so alerts and digests queue together. */
  pacer?: ChannelPacer;
  /** Told of every alert posted or failed (for metrics); must not throw. */
  onAlert?: (kind: AlertKind, outcome: 'posted' | 'failed') => void;
}

/** One connected org to check, with its budget if it has one. */
export interface OrgTarget {
  ref: WorkspaceRef;
  org: ConnectedOrg;
  budget?: Budget;
  /** The workspace's zone, for dates in alerts. */
  timeZone: string;
}

export type AlertOutcome =
  | { status: 'posted'; ts: string }
  /** An interrupted earlier attempt had posted; its message was found and recorded. */
  | { status: 'reconciled'; ts: string }
  | { status: 'already-done' }
  /** Another process holds the claim. */
  | { status: 'busy' }
  | { status: 'failed'; code: string };

export interface AlertReport {
  alertId: string;
  kind: AlertKind;
  outcome: AlertOutcome;
}

export type SnapshotOutcome = 'recorded' | 'present' | 'busy' | 'failed';

export interface OrgCheckReport {
  ref: WorkspaceRef;
  orgId: string;
  /** What became of this hour's snapshot; absent when the check failed before it. */
  snapshot?: SnapshotOutcome;
  alerts: AlertReport[];
  /** Log code of what stopped the check (e.g. `viam_unauthenticated`), when something did. */
  error?: string;
}

/** An alert ready to send: its ledger identity, where it goes and how it reads. */
interface AlertSpec {
  target: OrgTarget;
  alertId: string;
  kind: AlertKind;
  /** Less serious alerts told by this one's message. */
  covers: string[];
  channelId: string;
  fields: Pick<AlertRecord, 'periodStart' | 'invoiceId'>;
  render: () => SlackMessage;
}

const HOUR_MS = 60 * 60_000;
/** The anomaly baseline week, the window day and a day of margin for a late first snapshot. */
const ANOMALY_HISTORY_MS = 9 * 24 * HOUR_MS;

export class AlertRunner {
  readonly ledger: AlertLedger;
  readonly snapshots: UsageSnapshots;
  private readonly anomalySettings: AnomalySettingsStore;
  private readonly feedback: AlertFeedback;
  private readonly now: () => Date;
  private readonly poster: ExactlyOncePoster;

  constructor(private readonly options: AlertRunnerOptions) {
    this.now = options.now ?? (() => new Date());
    this.poster = new ExactlyOncePoster({
      store: options.store,
      owner: options.owner ?? defaultOwner(),
      claimTtlMs: options.claimTtlMs ?? DEFAULT_ALERT_CLAIM_TTL_MS,
      pacer: options.pacer ?? new ChannelPacer({ now: this.now, sleep: realSleep }),
      now: this.now,
    });
    this.ledger = new AlertLedger(options.store);
    this.snapshots = new UsageSnapshots(options.store, this.now);
    this.anomalySettings = new AnomalySettingsStore(options.store, options.logger);
    this.feedback = new AlertFeedback(options.store);
  }

  /** Checks one org as of `now`. Never throws. */
  async checkOrg(target: OrgTarget, now: Date = this.now()): Promise<OrgCheckReport> {
    const { ref, org, budget } = target;
    const log = this.options.logger.child({ component: 'alerts', teamId: ref.teamId, orgId: org.orgId });
    const report: OrgCheckReport = { ref, orgId: org.orgId, alerts: [] };
    try {
      // An unreadable day (logged by the store) is treated as missing: recording one then says more.
      const latestToday = await this.snapshots.latestOn(ref, org.orgId, now).catch(() => undefined);
      const needsSnapshot = !takenThisHour(latestToday, now);
      if (!budget && !needsSnapshot) {
        report.snapshot = 'present';
        return report;
      }
      const key = await this.options.store.workspaces.revealApiKey(ref, org.label);
      const invoicesRead = budget ? this.options.billing.getInvoicesSummary(key, org.orgId) : undefined;
      // Read in parallel with the usage; a usage failure must not leave this rejection unobserved.
      void invoicesRead?.catch(() => undefined);
      const usage = await this.options.billing.getCurrentMonthUsage(key, org.orgId);
      const firstToday = latestToday === undefined;
      report.snapshot = needsSnapshot ? await this.recordHourlySnapshot(ref, org.orgId, usage, now, log) : 'present';
      if (!budget || !invoicesRead) return report;

      const invoices = await invoicesRead;
      if (report.snapshot === 'recorded' && firstToday) await this.prune(target, invoices, now, log);
      const budgetAlert = await this.budgetAlert(target, budget, usage, invoices, now);
      if (budgetAlert) report.alerts.push(await this.deliver(budgetAlert, log));
      for (const spec of await this.invoiceAlerts(target, budget, invoices, now)) {
        report.alerts.push(await this.deliver(spec, log));
      }
      for (const spec of await this.anomalyAlerts(target, budget, usage, now, log)) {
        report.alerts.push(await this.deliver(spec, log));
      }
      return report;
    } catch (error) {
      const failure = classifyFailure(error);
      log.warn({ code: failure.code, err: errorName(error) }, 'alert check failed; the next check tries again');
      report.error = failure.code;
      return report;
    }
  }

  /** This hour's snapshot, taken once across replicas; a failure costs a data point, not the alerts. */
  private async recordHourlySnapshot(
    ref: WorkspaceRef,
    orgId: string,
    usage: UsageReport,
    now: Date,
    log: Logger,
  ): Promise<SnapshotOutcome> {
    const hour = now.toISOString().slice(0, 13);
    const claimKey = workspaceScopedKey(ref, 'usage-snapshot', orgId, hour);
    try {
      const outcome = await this.poster.underClaim(claimKey, log, async (): Promise<SnapshotOutcome> => {
        // Whoever held the claim before may have taken it in the meantime.
        if (takenThisHour(await this.snapshots.latestOn(ref, orgId, now), now)) return 'present';
        await this.snapshots.add(ref, orgId, snapshotOf(usage, now, 'hourly'));
        log.debug({ hour }, 'hourly usage snapshot recorded');
        return 'recorded';
      });
      return outcome === BUSY ? 'busy' : outcome;
    } catch (error) {
      log.warn({ err: errorName(error) }, 'could not record the hourly usage snapshot');
      return 'failed';
    }
  }

  /**
   * Unusual spend on a line or category, from the last nine days of snapshots: one alert per line per
   * UTC day at most, none for lines marked Expected this period, none when the org turned them off.
   */
  private async anomalyAlerts(
    target: OrgTarget,
    budget: Budget,
    usage: UsageReport,
    now: Date,
    log: Logger,
  ): Promise<AlertSpec[]> {
    const { ref, org } = target;
    try {
      const settings = await this.anomalySettings.get(ref, org.orgId);
      if (!settings.enabled) return [];
      const period = usage.periodStart.toISOString();
      const [history, muted] = await Promise.all([
        this.snapshots.history(ref, org.orgId, { since: new Date(now.getTime() - ANOMALY_HISTORY_MS), until: now }),
        this.feedback.mutedLines(ref, org.orgId, period),
      ]);
      const anomalies = detectAnomalies({ history, now, thresholds: settings, muted });
      return anomalies.map((anomaly) => {
        const alertId = anomalyAlertId(now, anomaly.key);
        return {
          target,
          alertId,
          kind: 'anomaly' as const,
          covers: [],
          channelId: budget.channelId,
          fields: { periodStart: period },
          render: () => renderAnomalyAlert(anomaly, { orgLabel: org.label, period, alertKey: alertId }),
        };
      });
    } catch (error) {
      // Unreadable history or settings cost the anomaly alerts of this check, not the others.
      log.warn({ err: errorName(error) }, 'could not look for spend anomalies');
      return [];
    }
  }

  /** The budget alert due now, if a threshold was newly crossed this period. */
  private async budgetAlert(
    target: OrgTarget,
    budget: Budget,
    usage: UsageReport,
    invoices: InvoicesSummary,
    now: Date,
  ): Promise<AlertSpec | undefined> {
    const { ref, org } = target;
    const projection = projectionOf(usage, now, budget.amount);
    const crossed = crossedThresholds({ spent: usage.subtotal, budget: budget.amount, projected: projection?.total });
    if (crossed.length === 0) return undefined;
    const done = await this.ledger.doneThresholds(ref, org.orgId, usage.periodStart, budget.amountSetAt);
    const plan = planBudgetAlert(crossed, done);
    if (!plan) return undefined;
    const idOf = (threshold: BudgetThreshold) => budgetAlertId(usage.periodStart, budget.amountSetAt, threshold);
    const latestInvoice = invoices.invoices.find((invoice) => invoice.id !== '');
    return {
      target,
      alertId: idOf(plan.alert),
      kind: THRESHOLD_KINDS[plan.alert],
      covers: plan.covers.map(idOf),
      channelId: budget.channelId,
      fields: { periodStart: usage.periodStart.toISOString() },
      render: () =>
        renderBudgetAlert(
          {
            threshold: plan.alert,
            budget: budget.amount,
            usage,
            ...(projection ? { projection } : {}),
            ...(latestInvoice ? { latestInvoice } : {}),
          },
          {
            orgLabel: org.label,
            timeZone: target.timeZone,
            now,
            feedback: { org: org.label, period: usage.periodStart.toISOString(), alert: idOf(plan.alert) },
          },
        ),
    };
  }

  /**
   * The invoice alerts due now, oldest invoice first. On the first check of a budget the invoices
   * already there are recorded as seen, so only what happens to them from now on is news.
   */
  private async invoiceAlerts(
    target: OrgTarget,
    budget: Budget,
    invoices: InvoicesSummary,
    now: Date,
  ): Promise<AlertSpec[]> {
    const { ref, org } = target;
    const baseline = !(await this.ledger.hasBaseline(ref, org.orgId, budget.amountSetAt));
    const ids = invoices.invoices.map((invoice) => invoice.id);
    const recorded = await this.ledger.recordedInvoiceEvents(ref, org.orgId, ids);
    const plan = planInvoiceAlerts(invoices.invoices, recorded, now, baseline);
    for (const invoice of plan.passOver) {
      await this.ledger.markDone(
        ref,
        { orgId: org.orgId, invoiceId: invoice.id, updatedAt: now.toISOString() },
        [invoiceAlertId(invoice.id, 'new')],
        'seen',
      );
    }
    if (baseline) await this.ledger.setBaseline(ref, org.orgId, budget.amountSetAt, now);

    return plan.alerts.reverse().map(({ invoice, alert, covers }) => ({
      target,
      alertId: invoiceAlertId(invoice.id, alert),
      kind: EVENT_KINDS[alert],
      covers: covers.map((event) => invoiceAlertId(invoice.id, event)),
      channelId: budget.channelId,
      fields: { invoiceId: invoice.id },
      render: () =>
        renderInvoiceAlert(
          { invoice, events: [alert, ...[...covers].reverse()], outstandingBalance: invoices.outstandingBalance },
          { orgLabel: org.label, timeZone: target.timeZone, now },
        ),
    }));
  }

  /** Sends one alert exactly once; see the top of the file. Never throws. */
  private async deliver(spec: AlertSpec, parentLog: Logger): Promise<AlertReport> {
    const { ref, org } = spec.target;
    const log = parentLog.child({ alert: spec.alertId, channel: spec.channelId });
    const report = (outcome: AlertOutcome): AlertReport => ({ alertId: spec.alertId, kind: spec.kind, outcome });
    let claimed = false;
    try {
      const claimKey = this.ledger.claimKey(ref, org.orgId, spec.alertId);
      const outcome = await this.poster.underClaim(claimKey, log, () => {
        claimed = true;
        return this.deliverClaimed(spec, log);
      });
      return report(outcome === BUSY ? { status: 'busy' } : outcome);
    } catch (error) {
      const failure = classifyFailure(error);
      log.warn({ code: failure.code, kind: spec.kind }, 'alert could not be sent; the next check tries again');
      if (claimed) this.options.onAlert?.(spec.kind, 'failed');
      return report({ status: 'failed', code: failure.code });
    }
  }

  /** Under the alert's claim: settle an interrupted post, or mark what it covers and post it. */
  private async deliverClaimed(spec: AlertSpec, log: Logger): Promise<AlertOutcome> {
    const { ref, org } = spec.target;
    const orgId = org.orgId;
    // Whoever held the claim before may have sent it in the meantime.
    const record = await this.ledger.get(ref, orgId, spec.alertId);
    if (record && DONE_STATES.has(record.state)) return { status: 'already-done' };

    const client = await this.options.clientFor(ref);
    const stamp = () => this.now().toISOString();
    const target = (channelId: string): TaggedTarget => ({
      ref,
      client,
      channelId,
      eventType: ALERT_EVENT_TYPE,
      runId: `${orgId}:${spec.alertId}`,
      log,
    });
    const earlier = await this.poster.earlierPost(target(record?.channelId ?? spec.channelId), record?.postAttemptedAt);
    if (record && earlier) {
      await this.ledger.put(ref, settled(record, { state: 'posted', messageTs: earlier, updatedAt: stamp() }));
      log.info({ ts: earlier }, 'interrupted alert had been posted; recorded it without posting again');
      this.options.onAlert?.(spec.kind, 'posted');
      return { status: 'reconciled', ts: earlier };
    }

    const base = { orgId, ...spec.fields, updatedAt: stamp() };
    await this.ledger.markDone(ref, { ...base, coveredBy: spec.alertId }, spec.covers, 'covered');
    let attempt: AlertRecord = {
      ...base,
      alertId: spec.alertId,
      state: 'posting',
      channelId: spec.channelId,
      attempts: (record?.attempts ?? 0) + 1,
    };
    const ts = await this.poster.post(target(spec.channelId), spec.render(), {
      attempting: async (at) => {
        attempt = { ...attempt, postAttemptedAt: at, updatedAt: at };
        await this.ledger.put(ref, attempt);
      },
      posted: (messageTs) => this.ledger.put(ref, settled(attempt, { state: 'posted', messageTs, updatedAt: stamp() })),
      failed: async (error) => {
        // Slack answered with a refusal, so nothing was posted and the next attempt need not look for it.
        if (!(error instanceof webApi.WebAPIPlatformError)) return;
        const failure = classifyFailure(error).code;
        await this.ledger.put(ref, settled(attempt, { state: 'failed', failure, updatedAt: stamp() }));
      },
    });
    log.info({ ts, kind: spec.kind }, 'alert posted');
    this.options.onAlert?.(spec.kind, 'posted');
    return { status: 'posted', ts };
  }

  /** Once a day, with the day's first snapshot: forget alerts of long-gone periods and invoices. */
  private async prune(target: OrgTarget, invoices: InvoicesSummary, now: Date, log: Logger): Promise<void> {
    try {
      const listed = new Set(invoices.invoices.map((invoice) => invoice.id));
      const removed = await this.ledger.prune(target.ref, target.org.orgId, listed, now);
      if (removed > 0) log.info({ removed }, 'old alert records removed');
    } catch (error) {
      log.warn({ err: errorName(error) }, 'could not prune old alert records');
    }
  }
}

/** The record after an attempt ended: no attempt left in doubt, and no failure from an earlier one. */
function settled(record: AlertRecord, change: Partial<AlertRecord>): AlertRecord {
  const { postAttemptedAt: _attempted, failure: _failure, ...rest } = record;
  return { ...rest, ...change };
}

/** True for a snapshot (hourly, or a digest's) taken in the UTC hour of `now`. */
function takenThisHour(snapshot: UsageSnapshot | undefined, now: Date): boolean {
  const hourStart = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  return snapshot !== undefined && Date.parse(snapshot.takenAt) >= hourStart;
}

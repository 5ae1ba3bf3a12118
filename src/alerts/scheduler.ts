/**
 * The in-process alert scheduler, on the scheduling core (src/schedule). Each connected org has a
 * member in the due index's `org-check` queue, due at its own minute of each interval (see
 * check-times.ts). A croner job wakes the core every minute; a tick takes only the orgs due now, reads
 * each one's workspace and budget, hands it to the runner and writes back its next minute. An org that
 * is no longer connected is dropped. Each check has its own timeout and never throws, so one
 * workspace's trouble (Viam down, a revoked key, a revoked Slack token) never holds up another's.
 * Exactly-once is the runner's job (claims and alert records).
 */

import type { Budgets } from '../budgets/budgets';
import { errorName, type Logger } from '../logger';
import { defaultOwner } from '../posting/exactly-once';
import { DueBackfill } from '../schedule/backfill';
import { type DueResult, DueTicker } from '../schedule/due-ticker';
import { scheduleIfAbsent } from '../schedule/members';
import type { DueItem, Store, WorkspaceRef } from '../store';
import { checkedInterval, nextCheckAt, ORG_CHECK_QUEUE, orgCheckMember, parseOrgCheckMember } from './check-times';
import type { AlertRunner, OrgCheckReport, OrgTarget } from './runner';

export interface AlertSchedulerOptions {
  runner: AlertRunner;
  store: Store;
  budgets: Budgets;
  logger: Logger;
  now?: () => Date;
  /** Minutes between two checks of an org (ALERT_CHECK_INTERVAL_MINUTES), a divisor of 60. Default 60. */
  intervalMinutes?: number;
  /** Org checks at once across all workspaces. Default 8. */
  concurrency?: number;
  /** A check taking longer is abandoned by the tick (its claims keep others off it). Default 2 minutes. */
  checkTimeoutMs?: number;
  /** How often the scheduler looks for due orgs. Default every minute. */
  cronPattern?: string;
  /** Names this process in the backfill's claim. */
  owner?: string;
  /** Told of every finished check (for metrics); must not throw. */
  onCheck?: (report: OrgCheckReport) => void;
}

export interface AlertTickReport {
  /** False when another tick was still running (or the scheduler is stopped) and this one did nothing. */
  ran: boolean;
  checks: OrgCheckReport[];
  /** Workspaces whose settings could not be read this tick. */
  unreadableWorkspaces: number;
}

/** What one due org came to: a check, or a workspace that could not be read. */
type DueOrgReport = { check: OrgCheckReport } | { unreadable: WorkspaceRef };

/** ALERT_CHECK_INTERVAL_MINUTES' default. */
export const DEFAULT_ALERT_INTERVAL_MINUTES = 60;

export class AlertScheduler {
  private readonly intervalMinutes: number;
  private readonly logger: Logger;
  private readonly ticker: DueTicker<DueOrgReport>;
  private readonly backfill: DueBackfill;

  constructor(private readonly options: AlertSchedulerOptions) {
    this.intervalMinutes = checkedInterval(options.intervalMinutes ?? DEFAULT_ALERT_INTERVAL_MINUTES);
    this.logger = options.logger.child({ component: 'alert-scheduler' });
    this.backfill = new DueBackfill({
      store: options.store,
      queue: ORG_CHECK_QUEUE,
      owner: options.owner ?? defaultOwner(),
      logger: this.logger,
      fill: (ref, now) => this.fillWorkspace(ref, now),
    });
    this.ticker = new DueTicker<DueOrgReport>({
      store: options.store,
      queue: ORG_CHECK_QUEUE,
      logger: this.logger,
      ...(options.now ? { now: options.now } : {}),
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.checkTimeoutMs !== undefined ? { itemTimeoutMs: options.checkTimeoutMs } : {}),
      cronPattern: options.cronPattern ?? '0 * * * * *',
      beforeTick: async (now) => {
        await this.backfill.ensure(now);
      },
      handler: { run: (item, now) => this.checkDue(item, now), timedOut: (item) => this.timedOut(item) },
      summary: { message: 'alert check finished', fields: summarize },
    });
  }

  start(): void {
    this.ticker.start();
    this.logger.info({ intervalMinutes: this.intervalMinutes }, 'alert scheduler started');
  }

  /** Stops the job and resolves once every tick and check in flight has finished. */
  async stop(): Promise<void> {
    await this.ticker.stop();
  }

  /**
   * Checks the orgs due as of `now`. Resolves when this tick's checks finished or timed out. While a
   * tick is running another one does nothing (ran: false); after stop() neither does any.
   */
  async tick(now?: Date): Promise<AlertTickReport> {
    const { ran, reports } = await this.ticker.tick(now);
    const checks = reports.flatMap((report) => ('check' in report ? [report.check] : []));
    return { ran, checks, unreadableWorkspaces: reports.length - checks.length };
  }

  /** When an org is next checked after `after`; for the App Home and tests. */
  nextCheckAt(ref: WorkspaceRef, orgId: string, after: Date): Date {
    return nextCheckAt(ref, orgId, this.intervalMinutes, after);
  }

  /** One due org: its check as of `now`, then its next minute; dropped when it is no longer connected. */
  private async checkDue(item: DueItem, now: Date): Promise<DueResult<DueOrgReport>> {
    const due = parseOrgCheckMember(item.member);
    if (!due) {
      this.logger.error({ member: item.member }, 'dropping a due check that names no org');
      return { next: 'remove' };
    }
    const { ref, orgId } = due;
    const next = this.nextCheckAt(ref, orgId, now);
    let target: OrgTarget | undefined;
    try {
      target = await this.targetOf(ref, orgId);
    } catch (error) {
      this.logger.warn({ teamId: ref.teamId, err: errorName(error) }, 'workspace skipped by the alert check');
      return { report: { unreadable: ref }, next };
    }
    if (!target) return { next: 'remove' };
    const check = await this.options.runner.checkOrg(target, now);
    this.options.onCheck?.(check);
    return { report: { check }, next };
  }

  /** The org with its budget and the workspace's zone, or undefined when it is no longer connected. */
  private async targetOf(ref: WorkspaceRef, orgId: string): Promise<OrgTarget | undefined> {
    const workspace = await this.options.store.workspaces.get(ref);
    const org = workspace.orgs.find((connected) => connected.orgId === orgId);
    if (!org) return undefined;
    const budget = await this.options.budgets.get(ref, orgId);
    const timeZone = workspace.preferences.timeZone ?? 'UTC';
    return { ref, org, timeZone, ...(budget ? { budget } : {}) };
  }

  private timedOut(item: DueItem): DueOrgReport {
    const due = parseOrgCheckMember(item.member);
    return {
      check: { ref: due?.ref ?? { teamId: 'unknown' }, orgId: due?.orgId ?? '', alerts: [], error: 'check_timeout' },
    };
  }

  /** The backfill of one workspace: each connected org without a check time gets its next minute. */
  private async fillWorkspace(ref: WorkspaceRef, now: Date): Promise<number> {
    let filled = 0;
    for (const org of (await this.options.store.workspaces.get(ref)).orgs) {
      const member = orgCheckMember(ref, org.orgId);
      const at = this.nextCheckAt(ref, org.orgId, now);
      if (await scheduleIfAbsent(this.options.store, ORG_CHECK_QUEUE, member, at)) filled += 1;
    }
    return filled;
  }
}

function summarize(reports: DueOrgReport[]): Record<string, unknown> {
  const checks = reports.flatMap((report) => ('check' in report ? [report.check] : []));
  return {
    orgs: checks.length,
    failedChecks: checks.filter((check) => check.error !== undefined).length,
    unreadableWorkspaces: reports.length - checks.length,
    alertsPosted: checks.flatMap((check) => check.alerts).filter((alert) => alert.outcome.status === 'posted').length,
    snapshots: checks.filter((check) => check.snapshot === 'recorded').length,
  };
}

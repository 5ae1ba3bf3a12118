/**
 * The in-process alert scheduler. A croner job wakes it (hourly by default); each tick walks every
 * workspace and each of its connected orgs and hands them to the runner with bounded concurrency.
 * Each org's check has its own timeout and never throws, so one workspace's trouble (Viam down, a
 * revoked key, a revoked Slack token) never holds up another's. Exactly-once is the runner's job
 * (claims and alert records); the scheduler only avoids checking an org twice at once here.
 */

import { Cron } from 'croner';
import type { Budget, Budgets } from '../budgets/budgets';
import { eachWithConcurrency, positiveOption } from '../lifecycle/concurrency';
import { errorName, type Logger } from '../logger';
import { type Store, workspaceScopedKey } from '../store';
import type { AlertRunner, OrgCheckReport, OrgTarget } from './runner';

export interface AlertSchedulerOptions {
  runner: AlertRunner;
  store: Store;
  budgets: Budgets;
  logger: Logger;
  now?: () => Date;
  /** Org checks at once across all workspaces. Default 8. */
  concurrency?: number;
  /** A check taking longer is abandoned by the tick (its claims keep others off it). Default 2 minutes. */
  checkTimeoutMs?: number;
  /** Default every hour, from alertIntervalPattern. */
  cronPattern?: string;
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

export const DEFAULT_ALERT_CONCURRENCY = 8;
export const DEFAULT_CHECK_TIMEOUT_MS = 2 * 60_000;
/** ALERT_CHECK_INTERVAL_MINUTES' default. */
export const DEFAULT_ALERT_INTERVAL_MINUTES = 60;

export class AlertScheduler {
  private readonly now: () => Date;
  private readonly concurrency: number;
  private readonly checkTimeoutMs: number;
  private readonly logger: Logger;
  private cron: Cron | undefined;
  private ticking: Promise<AlertTickReport> | undefined;
  private stopped = false;
  /** Every promise still running (ticks, checks that outlived their timeout), for stop(). */
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Orgs with a check in progress here, including ones abandoned by a timeout. */
  private readonly running = new Set<string>();

  constructor(private readonly options: AlertSchedulerOptions) {
    this.now = options.now ?? (() => new Date());
    this.concurrency = Math.floor(positiveOption(options.concurrency, DEFAULT_ALERT_CONCURRENCY, 'concurrency'));
    this.checkTimeoutMs = positiveOption(options.checkTimeoutMs, DEFAULT_CHECK_TIMEOUT_MS, 'checkTimeoutMs');
    this.logger = options.logger.child({ component: 'alert-scheduler' });
  }

  start(): void {
    if (this.cron) return;
    this.stopped = false;
    const pattern = this.options.cronPattern ?? alertIntervalPattern(DEFAULT_ALERT_INTERVAL_MINUTES);
    // Returning the tick lets croner's `protect` skip a run while the previous tick still runs.
    this.cron = new Cron(pattern, { protect: true }, async () => {
      try {
        await this.tick();
      } catch (error) {
        this.logger.error({ err: String(error) }, 'alert tick failed');
      }
    });
    this.logger.info({ pattern, concurrency: this.concurrency }, 'alert scheduler started');
  }

  /** Stops the job and resolves once every tick and check in flight has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cron?.stop();
    this.cron = undefined;
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Checks every connected org as of `now`. Resolves when this tick's checks finished or timed out.
   * While a tick is running another one does nothing (ran: false); after stop() neither does any.
   */
  tick(now: Date = this.now()): Promise<AlertTickReport> {
    const idle: AlertTickReport = { ran: false, checks: [], unreadableWorkspaces: 0 };
    if (this.stopped) return Promise.resolve(idle);
    if (this.ticking) return this.ticking.then(() => idle);
    const ticking = this.track(this.runTick(now)).finally(() => {
      this.ticking = undefined;
    });
    this.ticking = ticking;
    return ticking;
  }

  /** Every connected org of every workspace with its budget; workspaces that cannot be read are counted and skipped. */
  async targets(): Promise<{ targets: OrgTarget[]; unreadableWorkspaces: number }> {
    const targets: OrgTarget[] = [];
    let unreadableWorkspaces = 0;
    for await (const ref of this.options.store.workspaces.listWorkspaces()) {
      try {
        const workspace = await this.options.store.workspaces.get(ref);
        if (workspace.orgs.length === 0) continue;
        const budgets = new Map<string, Budget>(
          (await this.options.budgets.listFor(ref)).map((budget) => [budget.orgId, budget]),
        );
        const timeZone = workspace.preferences.timeZone ?? 'UTC';
        for (const org of workspace.orgs) {
          const budget = budgets.get(org.orgId);
          targets.push({ ref, org, timeZone, ...(budget ? { budget } : {}) });
        }
      } catch (error) {
        unreadableWorkspaces += 1;
        this.logger.warn({ teamId: ref.teamId, err: errorName(error) }, 'workspace skipped by the alert check');
      }
    }
    return { targets, unreadableWorkspaces };
  }

  private async runTick(now: Date): Promise<AlertTickReport> {
    const started = Date.now();
    let listing: Awaited<ReturnType<AlertScheduler['targets']>>;
    try {
      listing = await this.targets();
    } catch (error) {
      this.logger.error({ err: errorName(error) }, 'could not list workspaces for the alert check');
      return { ran: true, checks: [], unreadableWorkspaces: 0 };
    }
    const due = listing.targets.filter((target) => !this.running.has(targetKey(target)));
    const checks: OrgCheckReport[] = [];
    await eachWithConcurrency(due, this.concurrency, async (target) => {
      checks.push(await this.checkOne(target, now));
    });
    const posted = checks.flatMap((check) => check.alerts).filter((alert) => alert.outcome.status === 'posted');
    this.logger.info(
      {
        orgs: due.length,
        failedChecks: checks.filter((check) => check.error !== undefined).length,
        unreadableWorkspaces: listing.unreadableWorkspaces,
        alertsPosted: posted.length,
        snapshots: checks.filter((check) => check.snapshot === 'recorded').length,
        ms: Date.now() - started,
      },
      'alert check finished',
    );
    return { ran: true, checks, unreadableWorkspaces: listing.unreadableWorkspaces };
  }

  private async checkOne(target: OrgTarget, now: Date): Promise<OrgCheckReport> {
    const key = targetKey(target);
    this.running.add(key);
    const work = this.track(this.options.runner.checkOrg(target, now)).then((report) => {
      this.options.onCheck?.(report);
      return report;
    });
    void work.finally(() => this.running.delete(key)).catch(() => undefined);

    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<OrgCheckReport>((resolve) => {
      timer = setTimeout(() => {
        this.logger.warn(
          { teamId: target.ref.teamId, orgId: target.org.orgId },
          'alert check is taking too long; moving on without it',
        );
        resolve({ ref: target.ref, orgId: target.org.orgId, alerts: [], error: 'check_timeout' });
      }, this.checkTimeoutMs);
      timer.unref();
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const forget = () => this.inFlight.delete(work);
    work.then(forget, forget);
    return work;
  }
}

/**
 * The croner pattern for a check every `minutes`, at second 0. Only divisors of 60 are accepted so
 * the checks are evenly spaced within each hour.
 */
export function alertIntervalPattern(minutes: number): string {
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 60 || 60 % minutes !== 0) {
    throw new RangeError('the alert check interval must be a whole number of minutes dividing 60');
  }
  return minutes === 60 ? '0 0 * * * *' : `0 */${minutes} * * * *`;
}

function targetKey(target: OrgTarget): string {
  return workspaceScopedKey(target.ref, target.org.orgId);
}

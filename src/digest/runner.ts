/**
 * Runs one scheduled week of one channel's digest, exactly once across replicas and restarts, through
 * the posting path alerts use too (src/posting/exactly-once.ts):
 *
 *   claim (atomic, in the store) -> re-read the run record -> reconcile an interrupted post ->
 *   prepare -> record 'posting' -> post (tagged with the run id) -> record 'posted' -> snapshot
 *
 * A run already 'posted' is never posted again; one left in 'posting' by a crash is looked up in
 * the channel's history by its tag before anything is posted. Transient failures are retried with
 * backoff inside the grace window; permanent ones (and retries that ran out) end with one notice in
 * the channel where Slack allows it, and always with a log line.
 */
import type { webApi } from '@slack/bolt';
import type { BillingClient } from '../billing/client';
import type { UsageReport } from '../billing/model';
import { renderDigestFailure } from '../blocks/digest';
import { errorName, type Logger } from '../logger';
import { BUSY, channelKey, defaultOwner, ExactlyOncePoster, type TaggedTarget } from '../posting/exactly-once';
import { postTagged } from '../posting/tagged-message';
import { defaultOrg, type Store, type WorkspaceRef } from '../store';
import type { DigestCharts } from './charts';
import { classifyFailure, type RunFailure, retriesExhausted } from './failures';
import { type Occurrence, weekIdBefore } from './occurrences';
import { ChannelPacer, realSleep } from './pacing';
import { type DigestTarget, type PrepareDeps, type PreparedDigest, prepareDigest, readUsage } from './prepare';
import {
  DIGEST_EVENT_TYPE,
  type DigestChart,
  type DigestRun,
  DigestRuns,
  FINAL_STATES,
  NOTICE_EVENT_TYPE,
  RUN_RETENTION_WEEKS,
  runClaimKey,
  runId,
} from './runs';
import { type DigestSchedule, DigestSchedules } from './schedules';
import { snapshotOf, UsageSnapshots } from './snapshots';

export interface DigestRunnerOptions {
  store: Store;
  billing: BillingClient;
  /** The Web API client for a workspace (one client in single-workspace mode). */
  clientFor: (ref: WorkspaceRef) => Promise<webApi.WebClient>;
  logger: Logger;
  now?: () => Date;
  /** Names this process in claims; default host, pid and a random suffix. */
  owner?: string;
  /** How long a claim protects a run in progress. Default 5 minutes. */
  claimTtlMs?: number;
  /** A first attempt this long after the scheduled time is marked late. Default 10 minutes. */
  lateAfterMs?: number;
  /** Backoff of transient failures: first delay, doubling up to the cap. Default 1 minute, capped at 1 hour. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Spaces posts per channel; share one between runner and anything else posting digests. */
  pacer?: ChannelPacer;
  budgetFor?: (ref: WorkspaceRef, orgId: string) => Promise<number | undefined>;
  /**
   * The spend chart in each posted digest's thread, from its own lower-priority queue: posting a
   * digest only notes its chart in the run record and queues it. Not for a digest found by
   * reconciliation, which may have had its chart already.
   */
  charts?: DigestCharts;
}

/** One week's occurrence of one channel's schedule. */
export interface ScheduledRun {
  ref: WorkspaceRef;
  schedule: DigestSchedule;
  occurrence: Occurrence;
  /** After this the occurrence is no longer posted (skipped, or failed with a notice). */
  graceEndsAt: Date;
}

export type RunOutcome =
  | { status: 'posted'; ts: string; late: boolean }
  /** An interrupted earlier attempt had posted; its message was found and recorded. */
  | { status: 'reconciled'; ts: string }
  | { status: 'already-done'; state: DigestRun['state'] }
  /** Another process holds the claim. */
  | { status: 'busy' }
  | { status: 'waiting'; nextAttemptAt: Date }
  | { status: 'retry-scheduled'; nextAttemptAt: Date; code: string }
  | { status: 'failed'; code: string; notified: boolean }
  | { status: 'skipped' }
  /** The bookkeeping itself failed (store down); nothing was posted and the next tick tries again. */
  | { status: 'error'; code: string };

export type RunNowOutcome =
  | { status: 'posted'; ts: string }
  | { status: 'failed'; code: string; transient: boolean; sentence: string };

export const DEFAULT_CLAIM_TTL_MS = 5 * 60_000;
export const DEFAULT_LATE_AFTER_MS = 10 * 60_000;
export const DEFAULT_RETRY_BASE_MS = 60_000;
export const DEFAULT_RETRY_MAX_MS = 60 * 60_000;
/** A notice that could not be posted is retried for this long after the grace window, then given up. */
const NOTICE_GRACE_MS = 24 * 60 * 60_000;

const FINISHED: ReadonlySet<RunOutcome['status']> = new Set(['posted', 'reconciled', 'failed', 'skipped']);

const TRANSIENT_NOW_SENTENCE = 'Viam or Slack could not be reached just now. Try again in a minute';

export class DigestRunner {
  readonly store: Store;
  readonly schedules: DigestSchedules;
  readonly runs: DigestRuns;
  readonly snapshots: UsageSnapshots;
  readonly pacer: ChannelPacer;
  readonly charts: DigestCharts | undefined;
  private readonly now: () => Date;
  private readonly poster: ExactlyOncePoster;
  private readonly lateAfterMs: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly prepareDeps: PrepareDeps;
  /** Charts of `digest now` posts, which the caller does not wait for. */
  private readonly background = new Set<Promise<void>>();

  constructor(private readonly options: DigestRunnerOptions) {
    this.now = options.now ?? (() => new Date());
    this.store = options.store;
    this.lateAfterMs = options.lateAfterMs ?? DEFAULT_LATE_AFTER_MS;
    this.retryBaseMs = options.retryBaseMs ?? DEFAULT_RETRY_BASE_MS;
    this.retryMaxMs = options.retryMaxMs ?? DEFAULT_RETRY_MAX_MS;
    this.schedules = new DigestSchedules(options.store, options.logger, this.now);
    this.runs = new DigestRuns(options.store);
    this.snapshots = new UsageSnapshots(options.store, this.now);
    this.pacer = options.pacer ?? new ChannelPacer({ now: this.now, sleep: realSleep });
    this.charts = options.charts;
    this.poster = new ExactlyOncePoster({
      store: options.store,
      owner: options.owner ?? defaultOwner(),
      claimTtlMs: options.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS,
      pacer: this.pacer,
      now: this.now,
    });
    this.prepareDeps = {
      store: options.store,
      billing: options.billing,
      snapshots: this.snapshots,
      logger: options.logger,
      ...(options.budgetFor ? { budgetFor: options.budgetFor } : {}),
    };
  }

  /** Runs (or finishes, or skips) one scheduled occurrence. Never throws. */
  async runScheduled(run: ScheduledRun): Promise<RunOutcome> {
    const { ref, schedule, occurrence } = run;
    const log = this.options.logger.child({
      component: 'digest',
      teamId: ref.teamId,
      channel: schedule.channelId,
      occurrence: occurrence.id,
    });
    try {
      const seen = await this.runs.get(ref, schedule.channelId, occurrence.id);
      const settled = this.settledOutcome(seen);
      if (settled) return settled;
      if (!seen && this.now() > run.graceEndsAt)
        return await this.finished(run, await this.skip(run, undefined, log), log);

      const outcome = await this.poster.underClaim(
        runClaimKey(ref, schedule.channelId, occurrence.id),
        log,
        async () => {
          // Whoever held the claim before may have finished in the meantime.
          const record = await this.runs.get(ref, schedule.channelId, occurrence.id);
          return this.settledOutcome(record) ?? (await this.finished(run, await this.attempt(run, record, log), log));
        },
      );
      return outcome === BUSY ? { status: 'busy' } : outcome;
    } catch (error) {
      const failure = classifyFailure(error);
      log.error({ code: failure.code, err: errorName(error) }, 'digest run bookkeeping failed; will try again');
      return { status: 'error', code: failure.code };
    }
  }

  /**
   * `digest now`: posts a digest to the channel at once, outside the weekly bookkeeping (no claim, no
   * run record, no snapshot, so next week's comparison is not moved). Uses the channel's schedule
   * when there is one, else the given or default org and zone. Never throws.
   */
  async runNow(
    ref: WorkspaceRef,
    channelId: string,
    options: { orgLabel?: string; timeZone?: string } = {},
  ): Promise<RunNowOutcome> {
    const log = this.options.logger.child({ component: 'digest', teamId: ref.teamId, channel: channelId, now: true });
    try {
      const schedule = await this.schedules.get(ref, channelId);
      const workspace = await this.options.store.workspaces.get(ref);
      const orgLabel = options.orgLabel ?? schedule?.orgLabel ?? defaultOrg(workspace)?.label;
      if (orgLabel === undefined) {
        return {
          status: 'failed',
          code: 'no_org',
          transient: false,
          sentence:
            'No Viam org is connected to this workspace yet. An org owner can connect one with `/viam-usage connect`',
        };
      }
      const target: DigestTarget = {
        channelId,
        orgLabel,
        timeZone: schedule?.timeZone ?? options.timeZone ?? workspace.preferences.timeZone ?? 'UTC',
        ...(schedule ? { schedule } : {}),
      };
      const now = this.now();
      const prepared = await prepareDigest(this.prepareDeps, ref, target, now, false);
      const client = await this.options.clientFor(ref);
      await this.pacer.acquire(channelKey(ref, channelId));
      const ts = await postTagged(
        client,
        channelId,
        prepared.message,
        DIGEST_EVENT_TYPE,
        `now:${channelId}:${now.getTime()}`,
      );
      log.info({ ts }, 'digest posted on request');
      // The person who asked is told at once; the chart follows in the thread (drain() waits for it).
      const { charts } = this;
      if (charts) {
        const subject = {
          ref,
          orgId: prepared.orgId,
          orgLabel,
          timeZone: target.timeZone,
          usage: prepared.usage,
          invoicedMonths: prepared.invoicedMonths,
        };
        this.inBackground(charts.shareNow({ ...subject, now, logger: log }, client, channelId, ts));
      }
      return { status: 'posted', ts };
    } catch (error) {
      const failure = classifyFailure(error);
      log.warn({ code: failure.code }, 'digest on request failed');
      return failure.transient
        ? { status: 'failed', code: failure.code, transient: true, sentence: TRANSIENT_NOW_SENTENCE }
        : { status: 'failed', code: failure.code, transient: false, sentence: failure.sentence };
    }
  }

  /** What to answer without doing anything: the run is finished, or its next attempt is not due yet. */
  private settledOutcome(record: DigestRun | undefined): RunOutcome | undefined {
    if (!record) return undefined;
    if (FINAL_STATES.has(record.state)) return { status: 'already-done', state: record.state };
    if (record.nextAttemptAt !== undefined && Date.parse(record.nextAttemptAt) > this.now().getTime()) {
      return { status: 'waiting', nextAttemptAt: new Date(record.nextAttemptAt) };
    }
    return undefined;
  }

  /** Under the claim: reconcile, then post, then record; or retry later, or fail with one notice. */
  private async attempt(run: ScheduledRun, record: DigestRun | undefined, log: Logger): Promise<RunOutcome> {
    const { ref, schedule, occurrence } = run;
    const id = runId(schedule.channelId, occurrence.id);
    const now = this.now();
    const firstAttemptAt = record?.firstAttemptAt ?? now.toISOString();
    const late = Date.parse(firstAttemptAt) - occurrence.at.getTime() > this.lateAfterMs;
    const current: DigestRun = {
      channelId: schedule.channelId,
      occurrenceId: occurrence.id,
      scheduledFor: occurrence.at.toISOString(),
      state: 'posting',
      attempts: (record?.attempts ?? 0) + 1,
      firstAttemptAt,
      claimedAt: now.toISOString(),
      late,
      // Until a look at the channel settles it, an earlier attempt's post stays unconfirmed.
      ...(record?.postAttemptedAt ? { postAttemptedAt: record.postAttemptedAt } : {}),
      updatedAt: now.toISOString(),
    };

    let client: webApi.WebClient | undefined;
    try {
      client = await this.options.clientFor(ref);
      if (record?.state === 'notifying') return await this.resumeNotice(run, record, client, log);

      const target: TaggedTarget = {
        ref,
        client,
        channelId: schedule.channelId,
        eventType: DIGEST_EVENT_TYPE,
        runId: id,
        log,
      };
      const earlier = await this.poster.earlierPost(target, current.postAttemptedAt);
      if (earlier) {
        await this.record(ref, { ...current, state: 'posted', messageTs: earlier }, ['postAttemptedAt']);
        log.info({ ts: earlier }, 'interrupted digest had been posted; recorded it without posting again');
        await this.snapshotAfterReconcile(run, log);
        return { status: 'reconciled', ts: earlier };
      }
      delete current.postAttemptedAt;

      if (now > run.graceEndsAt) {
        if (record?.state === 'retrying')
          return await this.fail(run, current, client, retriesExhausted(record.failure), log);
        return await this.skip(run, current, log);
      }

      const digest: DigestTarget = {
        channelId: schedule.channelId,
        orgLabel: schedule.orgLabel,
        timeZone: schedule.timeZone,
        schedule,
      };
      const prepared = await prepareDigest(this.prepareDeps, ref, digest, now, late);
      const ts = await this.poster.post(target, prepared.message, {
        attempting: async (at) => {
          current.postAttemptedAt = at;
          await this.record(ref, current);
        },
        posted: async (messageTs) => {
          const chart = await this.queueChart(run, prepared, now, log);
          const posted: DigestRun = { ...current, state: 'posted', messageTs, ...(chart ? { chart } : {}) };
          await this.record(ref, posted, ['postAttemptedAt']);
        },
      });
      log.info({ ts, late, attempts: current.attempts }, 'digest posted');

      await this.afterPost(run, prepared.orgId, snapshotOf(prepared.usage, now, 'digest'), log);
      return { status: 'posted', ts, late };
    } catch (error) {
      const failure = classifyFailure(error);
      if (failure.transient) return await this.retryLater(run, current, failure, client, log);
      return await this.fail(run, current, client, failure, log);
    }
  }

  /** Saves a run record stamped with the time, without the listed fields. */
  private async record(ref: WorkspaceRef, run: DigestRun, drop: Array<keyof DigestRun> = []): Promise<void> {
    const saved: DigestRun = { ...run, updatedAt: this.now().toISOString() };
    for (const field of drop) delete saved[field];
    await this.runs.put(ref, saved);
  }

  private async retryLater(
    run: ScheduledRun,
    current: DigestRun,
    failure: RunFailure & { transient: true },
    client: webApi.WebClient | undefined,
    log: Logger,
  ): Promise<RunOutcome> {
    const delay = Math.min(this.retryBaseMs * 2 ** Math.max(0, current.attempts - 1), this.retryMaxMs);
    const nextAttemptAt = new Date(this.now().getTime() + delay);
    // A post whose answer was lost is looked for before giving up, even past the grace window.
    if (nextAttemptAt > run.graceEndsAt && current.postAttemptedAt === undefined) {
      return this.fail(run, current, client, retriesExhausted(failure.code), log);
    }
    await this.record(run.ref, {
      ...current,
      state: 'retrying',
      nextAttemptAt: nextAttemptAt.toISOString(),
      failure: failure.code,
    });
    log.warn({ code: failure.code, attempts: current.attempts, nextAttemptAt }, 'digest failed for now; will retry');
    return { status: 'retry-scheduled', nextAttemptAt, code: failure.code };
  }

  /** Ends the run for good: one notice in the channel when Slack allows, a log line always. */
  private async fail(
    run: ScheduledRun,
    current: DigestRun,
    client: webApi.WebClient | undefined,
    failure: RunFailure,
    log: Logger,
  ): Promise<RunOutcome> {
    const sentence = failure.transient ? retriesExhausted(failure.code).sentence : failure.sentence;
    const failed: DigestRun = { ...current, failure: failure.code, failureSentence: sentence.slice(0, 500) };
    if (failure.transient || !failure.canNotify || !client) {
      await this.record(run.ref, { ...failed, state: 'failed' }, ['nextAttemptAt']);
      log.error({ code: failure.code }, 'digest failed; no notice can be posted in this channel');
      return { status: 'failed', code: failure.code, notified: false };
    }
    return this.postNotice(run, { ...failed, state: 'notifying' }, client, log);
  }

  /** A crash (or a Slack failure) interrupted the notice: post it unless it went out already. */
  private async resumeNotice(
    run: ScheduledRun,
    record: DigestRun,
    client: webApi.WebClient,
    log: Logger,
  ): Promise<RunOutcome> {
    const ts = await this.poster.earlierPost(this.noticeTarget(run, client, log), record.noticeAttemptedAt);
    if (ts) {
      await this.record(run.ref, { ...record, state: 'failed', noticeTs: ts }, ['nextAttemptAt', 'noticeAttemptedAt']);
      return { status: 'failed', code: record.failure ?? 'unknown', notified: true };
    }
    return this.postNotice(run, record, client, log);
  }

  private async postNotice(
    run: ScheduledRun,
    notifying: DigestRun,
    client: webApi.WebClient,
    log: Logger,
  ): Promise<RunOutcome> {
    const { schedule } = run;
    const code = notifying.failure ?? 'unknown';
    const message = renderDigestFailure(notifying.failureSentence ?? retriesExhausted(notifying.failure).sentence, {
      orgLabel: schedule.orgLabel,
      timeZone: schedule.timeZone,
      channelId: schedule.channelId,
      schedule,
    });
    try {
      let attempted: DigestRun = { ...notifying, state: 'notifying' };
      const ts = await this.poster.post(this.noticeTarget(run, client, log), message, {
        attempting: async (at) => {
          attempted = { ...attempted, noticeAttemptedAt: at };
          await this.record(run.ref, attempted, ['nextAttemptAt']);
        },
        posted: (noticeTs) => this.record(run.ref, { ...attempted, state: 'failed', noticeTs }, ['noticeAttemptedAt']),
      });
      log.error({ code, noticeTs: ts }, 'digest failed; the channel was told once');
      return { status: 'failed', code, notified: true };
    } catch (error) {
      const noticeFailure = classifyFailure(error);
      const retryAt = new Date(this.now().getTime() + this.retryBaseMs);
      if (noticeFailure.transient && retryAt.getTime() <= run.graceEndsAt.getTime() + NOTICE_GRACE_MS) {
        await this.record(run.ref, { ...notifying, state: 'notifying', nextAttemptAt: retryAt.toISOString() });
        log.warn({ code, noticeCode: noticeFailure.code }, 'digest failed and its notice could not be posted yet');
        return { status: 'retry-scheduled', nextAttemptAt: retryAt, code };
      }
      await this.record(run.ref, { ...notifying, state: 'failed' }, ['nextAttemptAt', 'noticeAttemptedAt']);
      log.error({ code, noticeCode: noticeFailure.code }, 'digest failed and its notice could not be posted');
      return { status: 'failed', code, notified: false };
    }
  }

  private noticeTarget(run: ScheduledRun, client: webApi.WebClient, log: Logger): TaggedTarget {
    const { ref, schedule, occurrence } = run;
    const id = runId(schedule.channelId, occurrence.id);
    return { ref, client, channelId: schedule.channelId, eventType: NOTICE_EVENT_TYPE, runId: id, log };
  }

  private async skip(run: ScheduledRun, current: DigestRun | undefined, log: Logger): Promise<RunOutcome> {
    const skipped: DigestRun = current ?? {
      channelId: run.schedule.channelId,
      occurrenceId: run.occurrence.id,
      scheduledFor: run.occurrence.at.toISOString(),
      state: 'skipped',
      attempts: 0,
      updatedAt: this.now().toISOString(),
    };
    await this.record(run.ref, { ...skipped, state: 'skipped' }, ['nextAttemptAt', 'postAttemptedAt']);
    log.warn(
      { scheduledFor: run.occurrence.at.toISOString(), graceEndedAt: run.graceEndsAt.toISOString() },
      'digest skipped: missed by more than the grace window',
    );
    return { status: 'skipped' };
  }

  /**
   * A week that ended (posted, failed or skipped) lets the same channel's record from
   * RUN_RETENTION_WEEKS earlier go, so each channel keeps a bounded history with one delete.
   */
  private async finished(run: ScheduledRun, outcome: RunOutcome, log: Logger): Promise<RunOutcome> {
    if (FINISHED.has(outcome.status)) {
      try {
        await this.runs.forget(run.ref, run.schedule.channelId, weekIdBefore(run.occurrence, RUN_RETENTION_WEEKS));
      } catch (error) {
        log.warn({ err: errorName(error) }, 'could not remove an old digest run record');
      }
    }
    return outcome;
  }

  /** The snapshot after a post; its failure costs a comparison point, not the digest. */
  private async afterPost(run: ScheduledRun, orgId: string, snapshot: ReturnType<typeof snapshotOf>, log: Logger) {
    try {
      await this.snapshots.add(run.ref, orgId, snapshot);
    } catch (error) {
      log.warn({ err: errorName(error) }, 'could not save the usage snapshot of a posted digest');
    }
  }

  /** Resolves once the charts of `digest now` posts still running in the background are shared (for shutdown). */
  async drain(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  private inBackground(work: Promise<void>): void {
    this.background.add(work);
    void work.finally(() => this.background.delete(work));
  }

  /**
   * Queues the chart of a digest just posted, before its run is recorded as posted (so a chart is never
   * left out by a crash in between; the queue waits for the record). A store that fails here costs
   * the chart, never the digest.
   */
  private async queueChart(
    run: ScheduledRun,
    prepared: PreparedDigest,
    now: Date,
    log: Logger,
  ): Promise<DigestChart | undefined> {
    const { charts } = this;
    const { schedule } = run;
    const chart = charts?.pending({
      orgId: prepared.orgId,
      orgLabel: schedule.orgLabel,
      timeZone: schedule.timeZone,
      usage: prepared.usage,
      invoicedMonths: prepared.invoicedMonths,
      now,
    });
    if (!charts || !chart) return undefined;
    try {
      await charts.enqueue(run.ref, schedule.channelId, run.occurrence.id);
      return chart;
    } catch (error) {
      log.warn({ err: errorName(error) }, 'could not queue the spend chart of a posted digest; it will not follow');
      return undefined;
    }
  }

  /** The interrupted run never saved its snapshot; today's numbers are close enough to stand in for it. */
  private async snapshotAfterReconcile(run: ScheduledRun, log: Logger): Promise<void> {
    try {
      const { orgId, usage } = await readUsage(this.prepareDeps, run.ref, run.schedule.orgLabel);
      await this.afterPost(run, orgId, snapshotOf(usage, this.now(), 'digest'), log);
    } catch (error) {
      log.warn({ err: errorName(error) }, 'could not snapshot usage for a reconciled digest');
    }
  }
}

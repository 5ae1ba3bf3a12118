/**
 * The spend chart that follows each scheduled digest into its thread, from a queue of its own with a
 * lower priority than the digests. Posting a digest only notes its chart in the run record (`chart`,
 * state `pending`) and puts it in the due index's `digest-chart` queue; the queue's ticker takes charts
 * only while no digest tick runs in this process, so every text digest due in a minute goes out before
 * any chart is drawn, and charts are drawn on the render thread (src/charts/rasterize.ts).
 *
 * Each chart is shared exactly once through the digests' posting path (src/posting/exactly-once.ts):
 *
 *   claim -> re-read the run -> look for a share left in doubt -> draw -> upload the bytes ->
 *   wait the channel's turn -> record the attempt with the file ID -> share into the thread -> record it
 *
 * A file share cannot carry message metadata, so the file ID, known before the share, is what a later
 * attempt looks for in the thread. Transient failures are retried with backoff; anything else ends the
 * chart, never the digest.
 */
import type { webApi } from '@slack/bolt';
import type { Dispatcher } from 'undici';
import type { UsageReport } from '../billing/model';
import { categoryTotals } from '../billing/usage-totals';
import { errorName, type Logger } from '../logger';
import { BUSY, channelKey, defaultOwner, ExactlyOncePoster } from '../posting/exactly-once';
import { findFileInThread } from '../posting/thread-files';
import { type DueResult, DueTicker } from '../schedule/due-ticker';
import { dueMember, parseDueMember } from '../schedule/members';
import { completeFileShare, uploadFileBytes } from '../services/file-upload';
import { type DueItem, type Store, type WorkspaceRef, workspaceScopedKey } from '../store';
import type { InvoicedMonth } from '../trends/invoiced-months';
import { classifyFailure } from './failures';
import type { ChannelPacer } from './pacing';
import { type DigestChart, type DigestRun, DigestRuns, runId } from './runs';

export const CHART_QUEUE = 'digest-chart';
const CHART_KIND = 'digest-chart';

/** What the chart of one digest is drawn from. */
export interface ChartSubject {
  ref: WorkspaceRef;
  orgId: string;
  orgLabel: string;
  timeZone: string;
  usage: UsageReport;
  /** The months Viam has billed, drawn while the org's snapshot history is short. */
  invoicedMonths?: readonly InvoicedMonth[];
  now: Date;
  logger: Logger;
}

/** A drawn chart and the words that go with it. */
export interface ChartFile {
  png: Buffer;
  filename: string;
  title: string;
  /** The message carrying the file; mrkdwn, already escaped. */
  comment: string;
  altText: string;
}

export interface DigestChartsOptions {
  store: Store;
  clientFor: (ref: WorkspaceRef) => Promise<webApi.WebClient>;
  /** Carries the charts' bytes to Slack's upload host (the app's outbound dispatcher). */
  dispatcher: Dispatcher;
  /** Reads what the chart needs beyond the digest's usage (history, budget) and draws it. */
  draw: (subject: ChartSubject) => Promise<ChartFile>;
  /** The digests' pacer: a chart is a message in the channel too. */
  pacer: ChannelPacer;
  logger: Logger;
  now?: () => Date;
  owner?: string;
  /** How long a claim protects a chart in progress. Default 5 minutes. */
  claimTtlMs?: number;
  /** Charts drawn and shared at once. Default 4: drawing is one render thread's work. */
  concurrency?: number;
  /** Default every 10 seconds. */
  cronPattern?: string;
  /** Backoff of transient failures: first delay, doubling. Default 1 minute. */
  retryBaseMs?: number;
  /** Attempts before a chart is given up. Default 5. */
  maxAttempts?: number;
}

export type ChartOutcome =
  | { status: 'posted' }
  /** An earlier attempt had shared it; found in the thread and recorded. */
  | { status: 'reconciled' }
  | { status: 'retry'; code: string; at: Date }
  | { status: 'failed'; code: string }
  /** Nothing to do (shared already, gone, or its digest is not posted yet). */
  | { status: 'skipped' };

export interface ChartReport {
  member: string;
  outcome: ChartOutcome | { status: 'busy' } | { status: 'timed-out' };
}

const DEFAULT_CONCURRENCY = 4;
const DEFAULT_RETRY_BASE_MS = 60_000;
const DEFAULT_MAX_ATTEMPTS = 5;
const DEFAULT_CLAIM_TTL_MS = 5 * 60_000;
/** A chart whose digest is still being posted, or whose claim another process holds, is looked at again after this. */
const RECHECK_MS = 60_000;

export class DigestCharts {
  private readonly now: () => Date;
  private readonly runs: DigestRuns;
  private readonly poster: ExactlyOncePoster;
  private readonly ticker: DueTicker<ChartReport>;
  private readonly logger: Logger;
  private giveWay: () => boolean = () => false;

  constructor(private readonly options: DigestChartsOptions) {
    this.now = options.now ?? (() => new Date());
    this.runs = new DigestRuns(options.store);
    this.logger = options.logger.child({ component: 'digest-charts' });
    this.poster = new ExactlyOncePoster({
      store: options.store,
      owner: options.owner ?? defaultOwner(),
      claimTtlMs: options.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS,
      pacer: options.pacer,
      now: this.now,
    });
    this.ticker = new DueTicker<ChartReport>({
      store: options.store,
      queue: CHART_QUEUE,
      logger: this.logger,
      now: this.now,
      concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
      cronPattern: options.cronPattern ?? '*/10 * * * * *',
      yieldTo: () => this.giveWay(),
      handler: {
        run: (item, now) => this.runDue(item, now),
        timedOut: (item) => ({ member: item.member, outcome: { status: 'timed-out' } }),
      },
      summary: { message: 'chart tick finished', fields: countOutcomes },
    });
  }

  /** The run record's note of a digest's chart, waiting in the queue. */
  pending(subject: Omit<ChartSubject, 'ref' | 'logger'>): DigestChart | undefined {
    const { usage, now } = subject;
    if (!Number.isFinite(usage.periodStart.getTime()) || !Number.isFinite(usage.periodEnd.getTime())) return undefined;
    return {
      state: 'pending',
      orgId: subject.orgId,
      orgLabel: subject.orgLabel,
      timeZone: subject.timeZone,
      composedAt: now.toISOString(),
      usage: {
        periodStart: usage.periodStart.toISOString(),
        periodEnd: usage.periodEnd.toISOString(),
        subtotal: usage.subtotal,
        categories: categoryTotals(usage),
      },
      ...(subject.invoicedMonths
        ? {
            invoicedMonths: subject.invoicedMonths.map((month) => ({
              month: month.month.toISOString(),
              amount: month.amount,
            })),
          }
        : {}),
      attempts: 0,
    };
  }

  /** Puts a posted digest's chart in the queue, due at once (it still waits for the digests). */
  async enqueue(ref: WorkspaceRef, channelId: string, occurrenceId: string): Promise<void> {
    await this.options.store.due.set(CHART_QUEUE, chartMember(ref, channelId, occurrenceId), this.now());
  }

  /**
   * `digest now`'s chart: drawn and shared into the thread at once, outside the queue (a one-off post
   * has no run record to keep it in). Never throws.
   */
  async shareNow(subject: ChartSubject, client: webApi.WebClient, channelId: string, threadTs: string): Promise<void> {
    try {
      const chart = await this.options.draw(subject);
      const fileId = await uploadChart(client, this.options.dispatcher, chart);
      await this.options.pacer.acquire(channelKey(subject.ref, channelId));
      await completeFileShare({ ...shareOf(chart, client, channelId, threadTs), logger: subject.logger }, fileId);
      subject.logger.info({ fileId }, 'spend chart shared in the digest thread');
    } catch (error) {
      subject.logger.warn(
        { code: classifyFailure(error).code },
        'the chart of a posted digest failed; the digest stands',
      );
    }
  }

  /** Its ticks take nothing while `busy()` says true: the digest scheduler's tick is running. */
  giveWayTo(busy: () => boolean): void {
    this.giveWay = busy;
  }

  start(): void {
    this.ticker.start();
  }

  async stop(): Promise<void> {
    await this.ticker.stop();
  }

  async idle(): Promise<void> {
    await this.ticker.idle();
  }

  /** Takes and shares the charts due as of `now` (for tests and the bench; the job does it on its own). */
  async tick(now?: Date): Promise<ChartReport[]> {
    return (await this.ticker.tick(now)).reports;
  }

  private async runDue(item: DueItem, now: Date): Promise<DueResult<ChartReport>> {
    const target = parseChartMember(item.member);
    if (!target) {
      this.logger.error({ member: item.member }, 'dropping a due chart that names no digest');
      return { next: 'remove' };
    }
    const { ref, channelId, occurrenceId } = target;
    const log = this.logger.child({ teamId: ref.teamId, channel: channelId, occurrence: occurrenceId });
    const report = (outcome: ChartReport['outcome']) => ({ member: item.member, outcome });

    const waiting = whatToDo(await this.runs.get(ref, channelId, occurrenceId));
    if (waiting === 'recheck') return { next: new Date(now.getTime() + RECHECK_MS) };
    if (waiting === 'done') return { next: 'remove' };

    const outcome = await this.poster.underClaim(chartClaimKey(ref, channelId, occurrenceId), log, async () => {
      // Whoever held the claim before may have shared it in the meantime.
      const run = await this.runs.get(ref, channelId, occurrenceId);
      const next = whatToDo(run);
      if (next !== 'share' || !run?.chart) return { status: 'skipped' } as const;
      return this.share(ref, run, run.chart, log);
    });
    if (outcome === BUSY) return { report: report({ status: 'busy' }), next: new Date(now.getTime() + RECHECK_MS) };
    return { report: report(outcome), next: outcome.status === 'retry' ? outcome.at : 'remove' };
  }

  /** Under the claim: reconcile a share in doubt, else draw, upload, share and record. */
  private async share(ref: WorkspaceRef, run: DigestRun, chart: DigestChart, log: Logger): Promise<ChartOutcome> {
    const threadTs = run.messageTs as string;
    const save = (next: DigestChart) =>
      this.runs.put(ref, { ...run, chart: next, updatedAt: this.now().toISOString() });
    let current: DigestChart = { ...chart, attempts: chart.attempts + 1 };
    try {
      const client = await this.options.clientFor(ref);
      if (chart.state === 'posting' && chart.fileId) {
        const found = await findFileInThread(client, run.channelId, threadTs, chart.fileId, log);
        if (found) {
          await save({ ...chart, state: 'posted', shareTs: found });
          log.info({ fileId: chart.fileId }, 'interrupted chart share had gone out; recorded it without sharing again');
          return { status: 'reconciled' };
        }
      }
      const drawn = await this.options.draw({ ...subjectOf(chart), ref, logger: log });
      const fileId = await uploadChart(client, this.options.dispatcher, drawn);
      await this.poster.deliver(
        ref,
        run.channelId,
        {
          attempting: async (at) => {
            current = { ...current, state: 'posting', fileId, attemptedAt: at };
            await save(current);
          },
          posted: () => save({ ...current, state: 'posted' }),
        },
        () => completeFileShare({ ...shareOf(drawn, client, run.channelId, threadTs), logger: log }, fileId),
      );
      log.info({ fileId }, 'spend chart shared in the digest thread');
      return { status: 'posted' };
    } catch (error) {
      return this.failed(current, error, save, log);
    }
  }

  /**
   * A transient failure comes back with backoff until the attempts run out; anything else ends the
   * chart. A share attempted stays `posting` with its file ID, so the next attempt looks for it first.
   */
  private async failed(
    chart: DigestChart,
    error: unknown,
    save: (next: DigestChart) => Promise<void>,
    log: Logger,
  ): Promise<ChartOutcome> {
    const failure = classifyFailure(error);
    const { attempts } = chart;
    const maxAttempts = this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    try {
      if (failure.transient && attempts < maxAttempts) {
        const delay = (this.options.retryBaseMs ?? DEFAULT_RETRY_BASE_MS) * 2 ** (attempts - 1);
        const at = new Date(this.now().getTime() + delay);
        await save({ ...chart, failure: failure.code });
        log.warn({ code: failure.code, attempts }, 'the chart of a posted digest failed for now; will retry');
        return { status: 'retry', code: failure.code, at };
      }
      await save({ ...chart, state: 'failed', failure: failure.code });
    } catch (saveError) {
      log.warn({ err: errorName(saveError) }, 'could not record the failure of a chart');
    }
    log.warn({ code: failure.code, attempts }, 'the chart of a posted digest failed; the digest stands');
    return { status: 'failed', code: failure.code };
  }
}

/** What a chart's run record asks for: share it, wait for its digest, or nothing more. */
function whatToDo(run: DigestRun | undefined): 'share' | 'recheck' | 'done' {
  if (!run) return 'done';
  if (run.state === 'posting') return 'recheck';
  if (run.state !== 'posted' || !run.messageTs || !run.chart) return 'done';
  return run.chart.state === 'pending' || run.chart.state === 'posting' ? 'share' : 'done';
}

function subjectOf(chart: DigestChart): Omit<ChartSubject, 'ref' | 'logger'> {
  const { usage } = chart;
  const lines = (Object.entries(usage.categories) as Array<[keyof typeof usage.categories, number]>).map(
    ([category, amount]) => ({ costType: 0, key: category, label: category, category, amount }),
  );
  return {
    orgId: chart.orgId,
    orgLabel: chart.orgLabel,
    timeZone: chart.timeZone,
    now: new Date(chart.composedAt),
    ...(chart.invoicedMonths
      ? {
          invoicedMonths: chart.invoicedMonths.map((month) => ({ month: new Date(month.month), amount: month.amount })),
        }
      : {}),
    // The digest's report as far as a chart reads it: one source holding the total of each category.
    usage: {
      orgId: chart.orgId,
      periodStart: new Date(usage.periodStart),
      periodEnd: new Date(usage.periodEnd),
      subtotal: usage.subtotal,
      sources: [
        {
          kind: 'org',
          tierName: '',
          discount: 0,
          totalWithDiscount: usage.subtotal,
          totalWithoutDiscount: usage.subtotal,
          lines,
        },
      ],
      fromDeprecatedFields: false,
    },
  };
}

function shareOf(chart: ChartFile, client: webApi.WebClient, channelId: string, threadTs: string) {
  return {
    client,
    channelId,
    threadTs,
    title: chart.title,
    initialComment: chart.comment,
    what: 'a spend chart',
  };
}

/** The chart's bytes at Slack's upload URL; its file ID, known before the share, is what finds it again. */
function uploadChart(
  client: webApi.WebClient,
  dispatcher: Dispatcher,
  chart: { png: Buffer; filename: string; altText: string },
) {
  return uploadFileBytes({ client, dispatcher, file: chart.png, filename: chart.filename, altText: chart.altText });
}

function chartMember(ref: WorkspaceRef, channelId: string, occurrenceId: string): string {
  return dueMember(ref, CHART_KIND, runId(channelId, occurrenceId));
}

function parseChartMember(member: string): { ref: WorkspaceRef; channelId: string; occurrenceId: string } | undefined {
  const parsed = parseDueMember(member, CHART_KIND);
  const split = parsed?.id.indexOf(':') ?? -1;
  if (!parsed || split < 1) return undefined;
  return { ref: parsed.ref, channelId: parsed.id.slice(0, split), occurrenceId: parsed.id.slice(split + 1) };
}

/** The claim on one digest's chart, apart from the digest's own. */
function chartClaimKey(ref: WorkspaceRef, channelId: string, occurrenceId: string): string {
  return workspaceScopedKey(ref, CHART_KIND, channelId, occurrenceId);
}

function countOutcomes(reports: ChartReport[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { outcome } of reports) counts[outcome.status] = (counts[outcome.status] ?? 0) + 1;
  return counts;
}

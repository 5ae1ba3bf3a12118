/**
 * One record per (channel, scheduled week): what happened to that week's digest. Written before the
 * post ('posting') and after it ('posted', with the message ts), so a later attempt never posts twice.
 */
import { z } from 'zod';
import type { UsageCategory } from '../billing/model';
import type { RecordCollection, RecordType, Store, WorkspaceRef } from '../store';
import { workspaceScopedKey } from '../store';

export type RunState =
  /** About to post (or posted, and the process died before saying so). */
  | 'posting'
  | 'posted'
  /** A transient failure; the next attempt is due at `nextAttemptAt`. */
  | 'retrying'
  /** Failed for good; about to post the one notice. */
  | 'notifying'
  /** Failed for good; the notice went out (or could not). */
  | 'failed'
  /** Missed by more than the grace window. */
  | 'skipped';

export const FINAL_STATES: ReadonlySet<RunState> = new Set(['posted', 'failed', 'skipped']);

export interface DigestRun {
  channelId: string;
  occurrenceId: string;
  /** ISO 8601: when it was due. */
  scheduledFor: string;
  state: RunState;
  attempts: number;
  /** ISO 8601: the first attempt; lateness is judged by it, not by retries. */
  firstAttemptAt?: string;
  /** ISO 8601: when the latest attempt claimed the run. */
  claimedAt?: string;
  /**
   * ISO 8601: a post was attempted then and its outcome is unknown (crash, or an answer lost on the
   * way back). The next attempt looks for the message in the channel from here before posting.
   */
  postAttemptedAt?: string;
  /** The same for the failure notice. */
  noticeAttemptedAt?: string;
  nextAttemptAt?: string;
  late?: boolean;
  messageTs?: string;
  noticeTs?: string;
  /** Log code of the last failure, e.g. `viam_unavailable`. */
  failure?: string;
  /** The sentence of a permanent failure, kept so a retried notice says the same thing. */
  failureSentence?: string;
  /** The spend chart that follows a posted digest into its thread (src/digest/charts.ts). */
  chart?: DigestChart;
  updatedAt: string;
}

export type ChartState =
  /** Waiting in the chart queue. */
  | 'pending'
  /** Shared (or about to be, and the answer never came): look for `fileId` in the thread first. */
  | 'posting'
  | 'posted'
  /** Given up; the digest stands without it. */
  | 'failed';

/** What the chart of a posted digest is drawn from, and how far its share got. */
export interface DigestChart {
  state: ChartState;
  orgId: string;
  orgLabel: string;
  timeZone: string;
  /** ISO 8601: the instant the digest was composed at, which the chart shows too. */
  composedAt: string;
  /** The digest's usage as the chart needs it: its period, subtotal and cost per category (US dollars). */
  usage: { periodStart: string; periodEnd: string; subtotal: number; categories: Record<UsageCategory, number> };
  /** The months Viam had billed when the digest was composed (ISO month starts); absent in records from before. */
  invoicedMonths?: Array<{ month: string; amount: number }>;
  attempts: number;
  fileId?: string;
  /** ISO 8601: when the share of `fileId` was attempted. */
  attemptedAt?: string;
  shareTs?: string;
  failure?: string;
}

const runSchema = z.object({
  channelId: z.string(),
  occurrenceId: z.string(),
  scheduledFor: z.iso.datetime(),
  state: z.enum(['posting', 'posted', 'retrying', 'notifying', 'failed', 'skipped']),
  attempts: z.number().int().nonnegative(),
  firstAttemptAt: z.iso.datetime().optional(),
  claimedAt: z.iso.datetime().optional(),
  postAttemptedAt: z.iso.datetime().optional(),
  noticeAttemptedAt: z.iso.datetime().optional(),
  nextAttemptAt: z.iso.datetime().optional(),
  late: z.boolean().optional(),
  messageTs: z.string().optional(),
  noticeTs: z.string().optional(),
  failure: z.string().max(100).optional(),
  failureSentence: z.string().max(500).optional(),
  chart: z
    .object({
      state: z.enum(['pending', 'posting', 'posted', 'failed']),
      orgId: z.string(),
      orgLabel: z.string(),
      timeZone: z.string(),
      composedAt: z.iso.datetime(),
      usage: z.object({
        periodStart: z.iso.datetime(),
        periodEnd: z.iso.datetime(),
        subtotal: z.number(),
        categories: z.object({
          storage: z.number(),
          compute: z.number(),
          data_transfer: z.number(),
          other: z.number(),
        }),
      }),
      invoicedMonths: z
        .array(z.object({ month: z.iso.datetime(), amount: z.number() }))
        .max(24)
        .optional(),
      attempts: z.number().int().nonnegative(),
      fileId: z.string().optional(),
      attemptedAt: z.iso.datetime().optional(),
      shareTs: z.string().optional(),
      failure: z.string().max(100).optional(),
    })
    .optional(),
  updatedAt: z.iso.datetime(),
});

export const RUN_RECORD: RecordType<DigestRun> = {
  kind: 'digest-run',
  version: 1,
  schema: runSchema as z.ZodType<DigestRun>,
};

/** Message metadata of digests and of their failure notices, so an interrupted post can be found again. */
export const DIGEST_EVENT_TYPE = 'viam_billing_digest';
export const NOTICE_EVENT_TYPE = 'viam_billing_digest_notice';

/** How many weeks of run records a channel keeps; far beyond any grace window. */
export const RUN_RETENTION_WEEKS = 10;

export function runId(channelId: string, occurrenceId: string): string {
  return `${channelId}:${occurrenceId}`;
}

/**
 * The claim that makes one replica the only one working on a run: `ws:<wk>:digest-run:<channel>:<week>`,
 * the record's own name (claims live apart from records in every backend). It dies with the workspace.
 */
export function runClaimKey(ref: WorkspaceRef, channelId: string, occurrenceId: string): string {
  return workspaceScopedKey(ref, RUN_RECORD.kind, channelId, occurrenceId);
}

export class DigestRuns {
  private readonly records: RecordCollection<DigestRun>;

  constructor(store: Store) {
    this.records = store.records(RUN_RECORD);
  }

  get(ref: WorkspaceRef, channelId: string, occurrenceId: string): Promise<DigestRun | undefined> {
    return this.records.get(ref, runId(channelId, occurrenceId));
  }

  async put(ref: WorkspaceRef, run: DigestRun): Promise<void> {
    await this.records.set(ref, runId(run.channelId, run.occurrenceId), run);
  }

  async listFor(ref: WorkspaceRef): Promise<DigestRun[]> {
    return (await this.records.list(ref)).records.map(({ value }) => value);
  }

  /** Deletes one week's record of a channel; true when there was one. */
  async forget(ref: WorkspaceRef, channelId: string, occurrenceId: string): Promise<boolean> {
    return this.records.delete(ref, runId(channelId, occurrenceId));
  }
}

/**
 * Dated usage snapshots per (workspace, org), so a digest can say what changed since the last one.
 * One record per org holds a short history, oldest first; each digest adds one, and a later daily
 * job can add its own (`source: 'daily'`) without changing the shape.
 */

import { z } from 'zod';
import { roundCents } from '../billing/convert';
import { USAGE_CATEGORIES, type UsageCategory, type UsageReport } from '../billing/model';
import { categoryTotals } from '../billing/usage-totals';
import type { RecordCollection, RecordType, Store, WorkspaceRef } from '../store';

export type SnapshotSource = 'digest' | 'daily';

export interface SnapshotLine {
  label: string;
  category: UsageCategory;
  amount: number;
}

export interface UsageSnapshot {
  /** ISO 8601. */
  takenAt: string;
  source: SnapshotSource;
  /** The billing period the numbers belong to, ISO 8601. */
  periodStart: string;
  periodEnd: string;
  /** Month-to-date total as Viam reported it. */
  subtotal: number;
  categories: Record<UsageCategory, number>;
  /** By cost-line key (`binary_data_cloud_storage`), summed over every source. */
  lines: Record<string, SnapshotLine>;
}

interface SnapshotHistory {
  orgId: string;
  /** Oldest first. */
  snapshots: UsageSnapshot[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Kept for at least eight weeks of week-over-week comparisons, with a week's margin. */
export const SNAPSHOT_RETENTION_MS = 9 * 7 * DAY_MS;
/** Ample for daily snapshots over the retention period plus weekly digests from several channels. */
export const MAX_SNAPSHOTS = 200;

const categorySchema = z.enum(USAGE_CATEGORIES as [UsageCategory, ...UsageCategory[]]);

const snapshotSchema = z.object({
  takenAt: z.iso.datetime(),
  source: z.enum(['digest', 'daily']),
  periodStart: z.iso.datetime(),
  periodEnd: z.iso.datetime(),
  subtotal: z.number().finite(),
  categories: z.record(categorySchema, z.number().finite()),
  lines: z.record(z.string(), z.object({ label: z.string(), category: categorySchema, amount: z.number().finite() })),
});

const historySchema = z.object({
  orgId: z.string().min(1),
  snapshots: z.array(snapshotSchema),
});

export const SNAPSHOT_RECORD: RecordType<SnapshotHistory> = {
  kind: 'usage-snapshots',
  version: 1,
  schema: historySchema as z.ZodType<SnapshotHistory>,
  unreadableMessage:
    'Saved usage history for this org could not be read, so the digest shows no week-over-week change. It starts over with the next digest.',
};

/** The numbers of a usage report worth comparing later. */
export function snapshotOf(report: UsageReport, takenAt: Date, source: SnapshotSource): UsageSnapshot {
  const lines: Record<string, SnapshotLine> = {};
  for (const line of report.sources.flatMap((source) => source.lines)) {
    const amount = Number.isFinite(line.amount) ? line.amount : 0;
    const existing = lines[line.key];
    if (existing) existing.amount = roundCents(existing.amount + amount);
    else lines[line.key] = { label: line.label, category: line.category, amount: roundCents(amount) };
  }
  return {
    takenAt: takenAt.toISOString(),
    source,
    periodStart: report.periodStart.toISOString(),
    periodEnd: report.periodEnd.toISOString(),
    subtotal: roundCents(report.subtotal),
    categories: categoryTotals(report),
    lines,
  };
}

/** Adds a snapshot in time order and drops what is older than the retention period or over the cap. */
export function withSnapshot(history: readonly UsageSnapshot[], snapshot: UsageSnapshot): UsageSnapshot[] {
  const newest = Math.max(Date.parse(snapshot.takenAt), ...history.map((entry) => Date.parse(entry.takenAt)));
  return [...history, snapshot]
    .sort((a, b) => Date.parse(a.takenAt) - Date.parse(b.takenAt))
    .filter((entry) => newest - Date.parse(entry.takenAt) <= SNAPSHOT_RETENTION_MS)
    .slice(-MAX_SNAPSHOTS);
}

/** How far from exactly one week back a snapshot may be and still stand for "last week". */
const COMPARISON_TOLERANCE_MS = 3 * DAY_MS;
/** Anything newer is too recent to compare with (another channel's digest of the same org an hour ago). */
const MIN_COMPARISON_AGE_MS = 4 * DAY_MS;

/**
 * The snapshot that stands for "last week" at `now`: the one closest to exactly seven days earlier,
 * within three days either side, and never one from the last four days. Two channels digesting the
 * same org on the same morning therefore both compare with the week before, not with each other.
 */
export function comparisonSnapshot(history: readonly UsageSnapshot[], now: Date): UsageSnapshot | undefined {
  const target = now.getTime() - 7 * DAY_MS;
  let best: { snapshot: UsageSnapshot; gap: number } | undefined;
  for (const snapshot of history) {
    const takenAt = Date.parse(snapshot.takenAt);
    if (now.getTime() - takenAt < MIN_COMPARISON_AGE_MS) continue;
    const gap = Math.abs(takenAt - target);
    if (gap > COMPARISON_TOLERANCE_MS) continue;
    if (!best || gap < best.gap) best = { snapshot, gap };
  }
  return best?.snapshot;
}

export class UsageSnapshots {
  private readonly records: RecordCollection<SnapshotHistory>;

  constructor(store: Store) {
    this.records = store.records(SNAPSHOT_RECORD);
  }

  /** Oldest first; empty when none were taken. */
  async history(ref: WorkspaceRef, orgId: string): Promise<UsageSnapshot[]> {
    return (await this.records.get(ref, orgId))?.snapshots ?? [];
  }

  /**
   * Records a snapshot. Read-modify-write is serialised within this process; two replicas adding a
   * snapshot of the same org in the same instant can lose one, which only costs a comparison point.
   */
  async add(ref: WorkspaceRef, orgId: string, snapshot: UsageSnapshot): Promise<void> {
    await this.records.update(ref, orgId, (current) => ({
      orgId,
      snapshots: withSnapshot(current?.snapshots ?? [], snapshot),
    }));
  }

  /** The snapshot to compare with at `now`, if any. */
  async comparisonFor(ref: WorkspaceRef, orgId: string, now: Date): Promise<UsageSnapshot | undefined> {
    return comparisonSnapshot(await this.history(ref, orgId), now);
  }
}

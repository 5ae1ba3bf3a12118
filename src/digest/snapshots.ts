/**
 * Dated usage snapshots per (workspace, org): what digests compare with, what charts draw and what
 * spend anomalies are measured on. Each digest adds one, and the alert check adds one an hour for
 * every connected org.
 */

import { z } from 'zod';
import { roundCents } from '../billing/convert';
import { USAGE_CATEGORIES, type UsageCategory, type UsageReport } from '../billing/model';
import { categoryTotals } from '../billing/usage-totals';
import type { RecordCollection, RecordType, Store, WorkspaceRef } from '../store';

export type SnapshotSource = 'digest' | 'daily' | 'hourly';

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

/** The snapshots of one org on one UTC day, oldest first: the unit of storage. */
interface SnapshotDay {
  orgId: string;
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  snapshots: UsageSnapshot[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Days kept at full (hourly) detail; older days keep only their last snapshot. */
export const DETAILED_DAYS = 30;
/** Thirteen months, so this month can be set against the same month a year ago. */
export const RETENTION_DAYS = 397;
/** Hourly snapshots plus digests from several channels fit with room to spare. */
export const MAX_SNAPSHOTS_PER_DAY = 48;
/** What history() reads by default: this period, the previous one and a week before that. */
export const DEFAULT_HISTORY_DAYS = 70;

const categorySchema = z.enum(USAGE_CATEGORIES as [UsageCategory, ...UsageCategory[]]);

const snapshotSchema = z.object({
  takenAt: z.iso.datetime(),
  source: z.enum(['digest', 'daily', 'hourly']),
  periodStart: z.iso.datetime(),
  periodEnd: z.iso.datetime(),
  subtotal: z.number().finite(),
  categories: z.record(categorySchema, z.number().finite()),
  lines: z.record(z.string(), z.object({ label: z.string(), category: categorySchema, amount: z.number().finite() })),
});

const daySchema = z.object({
  orgId: z.string().min(1),
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  snapshots: z.array(snapshotSchema),
});

export const SNAPSHOT_DAY_RECORD: RecordType<SnapshotDay> = {
  kind: 'usage-day',
  version: 1,
  schema: daySchema as z.ZodType<SnapshotDay>,
  unreadableMessage:
    'Part of the saved usage history for this org could not be read, so comparisons and charts leave that day out.',
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

/** Adds a snapshot to a day in time order (one per instant) and keeps the newest up to the cap. */
export function withSnapshot(day: readonly UsageSnapshot[], snapshot: UsageSnapshot): UsageSnapshot[] {
  return [...day.filter((entry) => entry.takenAt !== snapshot.takenAt), snapshot]
    .sort((a, b) => Date.parse(a.takenAt) - Date.parse(b.takenAt))
    .slice(-MAX_SNAPSHOTS_PER_DAY);
}

/** `2026-11-26` for any instant of that UTC day. */
export function utcDay(at: Date | number): string {
  return new Date(at).toISOString().slice(0, 10);
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

export interface HistoryRange {
  /** Default DEFAULT_HISTORY_DAYS before `until`. */
  since?: Date;
  /** Default now. */
  until?: Date;
}

/**
 * Dated usage snapshots per (workspace, org), stored one record per org and UTC day so that an hourly
 * write touches one small record and a read fetches only the days it needs. The first snapshot of a
 * day also tidies the history: days older than DETAILED_DAYS keep their last snapshot only, and days
 * past RETENTION_DAYS are deleted. Everything is deleted with the workspace.
 */
export class UsageSnapshots {
  private readonly records: RecordCollection<SnapshotDay>;

  constructor(
    store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.records = store.records(SNAPSHOT_DAY_RECORD);
  }

  /** Oldest first, from `since` to `until` (whole UTC days); empty when none were taken. */
  async history(ref: WorkspaceRef, orgId: string, range: HistoryRange = {}): Promise<UsageSnapshot[]> {
    const until = range.until ?? this.now();
    const since = range.since ?? new Date(until.getTime() - DEFAULT_HISTORY_DAYS * DAY_MS);
    const days = daysBetween(since, until);
    const stored = await this.records.getMany(
      ref,
      days.map((day) => dayId(orgId, day)),
    );
    const sinceMs = since.getTime();
    const untilMs = until.getTime();
    return stored
      .flatMap((record) => record?.snapshots ?? [])
      .filter((snapshot) => {
        const at = Date.parse(snapshot.takenAt);
        return at >= sinceMs && at <= untilMs;
      });
  }

  /** The newest snapshot taken on the UTC day of `at`, if any. */
  async latestOn(ref: WorkspaceRef, orgId: string, at: Date): Promise<UsageSnapshot | undefined> {
    return (await this.records.get(ref, dayId(orgId, utcDay(at))))?.snapshots.at(-1);
  }

  /**
   * Records a snapshot. Read-modify-write is serialised within this process; two replicas adding a
   * snapshot of the same org in the same instant can lose one, which only costs a data point.
   */
  async add(ref: WorkspaceRef, orgId: string, snapshot: UsageSnapshot): Promise<void> {
    const day = utcDay(Date.parse(snapshot.takenAt));
    let firstOfDay = false;
    await this.records.update(ref, dayId(orgId, day), (current) => {
      firstOfDay = current === undefined;
      return { orgId, day, snapshots: withSnapshot(current?.snapshots ?? [], snapshot) };
    });
    if (firstOfDay) await this.tidy(ref, orgId, Date.parse(`${day}T00:00:00Z`));
  }

  /** The snapshot to compare with at `now`, if any. */
  async comparisonFor(ref: WorkspaceRef, orgId: string, now: Date): Promise<UsageSnapshot | undefined> {
    const history = await this.history(ref, orgId, { since: new Date(now.getTime() - 11 * DAY_MS), until: now });
    return comparisonSnapshot(history, now);
  }

  /**
   * Compacts the days that crossed DETAILED_DAYS in the last week to their last snapshot, and deletes
   * every day past RETENTION_DAYS. One key scan finds the days that exist, so an org with little
   * history costs one query; the week of margin means a few days of downtime leave nothing behind.
   */
  private async tidy(ref: WorkspaceRef, orgId: string, dayStartMs: number): Promise<void> {
    const compactFrom = utcDay(dayStartMs - (DETAILED_DAYS + 7) * DAY_MS);
    const compactBefore = utcDay(dayStartMs - DETAILED_DAYS * DAY_MS);
    const deleteBefore = utcDay(dayStartMs - RETENTION_DAYS * DAY_MS);
    const days = (await this.records.listIds(ref, `${orgId}:`)).map((id) => id.slice(orgId.length + 1));
    const work = days.map(async (day) => {
      const id = dayId(orgId, day);
      if (day < deleteBefore) {
        await this.records.delete(ref, id);
      } else if (day >= compactFrom && day < compactBefore) {
        // An update, not a read and a write: the hour's snapshot may land in this day at the same moment.
        await this.records.update(ref, id, (stored) =>
          stored && stored.snapshots.length > 1 ? { ...stored, snapshots: stored.snapshots.slice(-1) } : stored,
        );
      }
    });
    // Tidying is housekeeping: an unreadable day (logged by the store) must not fail the snapshot itself.
    await Promise.allSettled(work);
  }
}

function dayId(orgId: string, day: string): string {
  return `${orgId}:${day}`;
}

/** Every UTC day from `since` to `until`, inclusive. */
function daysBetween(since: Date, until: Date): string[] {
  const days: string[] = [];
  const first = Date.parse(`${utcDay(since)}T00:00:00Z`);
  for (let at = first; at <= until.getTime(); at += DAY_MS) days.push(utcDay(at));
  return days;
}

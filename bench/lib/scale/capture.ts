/**
 * One seeded workspace, written by the app's own modules (the workspace repository, digest schedules
 * and runs, budgets, anomaly settings, usage snapshots, the alert ledger, the audit trail, the due
 * index) into a MemoryKv, so every record has exactly the shape, key and sealing the app gives it.
 * A bulk loader then writes the batch in the backend's own layout.
 *
 * Per workspace: the workspace record (an org with its sealed API key), a weekly digest schedule and
 * its last two runs (posted), a budget, anomaly settings, seven days of usage snapshots, one budget
 * alert this month (posted), three audit entries, and the due-index entries the scheduling core
 * reads: the digest's next occurrence and the org's next hourly check.
 */
import { nextCheckAt, ORG_CHECK_QUEUE, orgCheckMember } from '../../../src/alerts/check-times';
import { AlertLedger, budgetAlertId } from '../../../src/alerts/ledger';
import { AnomalySettingsStore } from '../../../src/anomalies/settings';
import { AuditTrail } from '../../../src/audit/trail';
import { USAGE_CATEGORIES, type UsageCategory } from '../../../src/billing/model';
import { Budgets } from '../../../src/budgets/budgets';
import { dueAfterSettled } from '../../../src/digest/due-times';
import { latestDueOccurrence, weekIdBefore } from '../../../src/digest/occurrences';
import { DigestRuns } from '../../../src/digest/runs';
import { DIGEST_QUEUE, DigestSchedules, digestMember } from '../../../src/digest/schedules';
import { type UsageSnapshot, UsageSnapshots } from '../../../src/digest/snapshots';
import { silentLogger } from '../../../src/logger';
import { BACKFILL_QUEUE } from '../../../src/schedule/backfill';
import { assembleStore, type Store } from '../../../src/store';
import { EncryptionKey } from '../../../src/store/seal';
import type { BackendKind } from '../../../src/store/store-url';
import { BENCH_ENCRYPTION_KEY } from '../app-env';
import type { Credentials } from '../seed';
import { type CapturedBatch, MemoryKv } from './memory-kv';
import { CONNECTOR, QUIET_MS, quietSlot, scaleRef, seededChannel } from './plan';

const DAY_MS = 24 * 60 * 60_000;
const SNAPSHOT_DAYS = 7;
/** The app's default ALERT_CHECK_INTERVAL_MINUTES. */
const CHECK_INTERVAL_MINUTES = 60;

/** A Store over a MemoryKv, assembled as openStore assembles the real one (minus connecting and the key check). */
function memoryStore(kv: MemoryKv, now: () => Date): Store {
  return assembleStore(kv, new EncryptionKey(Buffer.from(BENCH_ENCRYPTION_KEY, 'base64')), now, silentLogger());
}

export class WorkspaceCapture {
  private readonly kv: MemoryKv;
  private readonly store: Store;
  private readonly schedules: DigestSchedules;
  private readonly runs: DigestRuns;
  private readonly budgets: Budgets;
  private readonly anomalies: AnomalySettingsStore;
  private readonly snapshots: UsageSnapshots;
  private readonly ledger: AlertLedger;
  private readonly audit: AuditTrail;

  /** `now` is the seeding's instant: every seeded time is relative to it. */
  constructor(
    kind: BackendKind,
    namespace: string,
    private readonly now: Date,
  ) {
    const clock = () => now;
    const logger = silentLogger();
    this.kv = new MemoryKv(kind, namespace);
    this.store = memoryStore(this.kv, clock);
    this.schedules = new DigestSchedules(this.store, logger, clock);
    this.runs = new DigestRuns(this.store);
    this.budgets = new Budgets(this.store, logger);
    this.anomalies = new AnomalySettingsStore(this.store, logger);
    this.snapshots = new UsageSnapshots(this.store, clock);
    this.ledger = new AlertLedger(this.store);
    this.audit = new AuditTrail(this.store, clock);
  }

  /** The markers that tell the scheduling core its one-time fill from stored schedules is done. */
  async backfillMarkers(): Promise<void> {
    for (const queue of [DIGEST_QUEUE, ORG_CHECK_QUEUE]) await this.store.due.set(BACKFILL_QUEUE, queue, this.now);
  }

  async add(index: number, org: Credentials): Promise<void> {
    const ref = scaleRef(index);
    const channelId = seededChannel(index);
    const now = this.now;
    const at = (msAgo: number) => new Date(now.getTime() - msAgo).toISOString();

    await this.store.workspaces.connectOrg(ref, {
      label: 'default',
      orgId: org.orgId,
      apiKey: { id: org.apiKeyId, key: org.apiKey },
      connectedBy: CONNECTOR,
    });
    // Checked hourly at the org's own minute; the next check is left past the run's window.
    await this.store.due.set(
      ORG_CHECK_QUEUE,
      orgCheckMember(ref, org.orgId),
      nextCheckAt(ref, org.orgId, CHECK_INTERVAL_MINUTES, new Date(now.getTime() + QUIET_MS)),
    );

    const schedule = await this.schedules.set(ref, {
      ...quietSlot(index, now),
      channelId,
      orgLabel: 'default',
      createdBy: CONNECTOR,
      createdAt: at(60 * DAY_MS),
    });
    // Its latest week was posted, so it is due next at its next occurrence, as the scheduler writes back.
    await this.store.due.set(DIGEST_QUEUE, digestMember(ref, channelId), dueAfterSettled(schedule, now));
    const latest = latestDueOccurrence(schedule, now);
    for (const [weeksBack, occurrenceId] of [
      [0, latest.id],
      [1, weekIdBefore(latest, 1)],
    ] as const) {
      const scheduledFor = new Date(latest.at.getTime() - weeksBack * 7 * DAY_MS).toISOString();
      await this.runs.put(ref, {
        channelId,
        occurrenceId,
        scheduledFor,
        state: 'posted',
        attempts: 1,
        firstAttemptAt: scheduledFor,
        claimedAt: scheduledFor,
        messageTs: `${Math.floor(Date.parse(scheduledFor) / 1000)}.000100`,
        updatedAt: scheduledFor,
      });
    }

    const budget = await this.budgets.set(ref, {
      orgId: org.orgId,
      amount: 500 + (index % 50) * 100,
      channelId,
      setBy: CONNECTOR,
      setAt: at(40 * DAY_MS),
    });
    await this.anomalies.change(ref, org.orgId, { enabled: true, minDailyUsd: 20, minIncreasePct: 50 });
    for (let day = SNAPSHOT_DAYS; day >= 1; day--) {
      await this.snapshots.add(ref, org.orgId, snapshot(new Date(now.getTime() - day * DAY_MS), index, day));
    }
    const periodStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    await this.ledger.put(ref, {
      orgId: org.orgId,
      alertId: budgetAlertId(periodStart, budget.amountSetAt, 'spent-50'),
      state: 'posted',
      periodStart: periodStart.toISOString(),
      channelId,
      messageTs: `${Math.floor(periodStart.getTime() / 1000) + 86_400}.000200`,
      attempts: 1,
      updatedAt: at(DAY_MS),
    });
    await this.audit.record(ref, { action: 'org.connected', actor: CONNECTOR, org: 'default', orgId: org.orgId });
    await this.audit.record(ref, {
      action: 'digest.set',
      actor: CONNECTOR,
      org: 'default',
      channel: channelId,
      schedule: `${schedule.weekday} ${schedule.time} ${schedule.timeZone}`,
    });
    await this.audit.record(ref, { action: 'budget.set', actor: CONNECTOR, orgId: org.orgId, amount: budget.amount });
  }

  drain(): CapturedBatch {
    return this.kv.drain();
  }
}

/** A day's usage as the hourly check records it: month-to-date totals by category and a few cost lines. */
function snapshot(takenAt: Date, index: number, daysAgo: number): UsageSnapshot {
  const base = 40 + (index % 97);
  const subtotal = Math.round((base * (31 - daysAgo) * 100) / 3) / 100;
  const categories = Object.fromEntries(
    USAGE_CATEGORIES.map((category, position) => [category, Math.round((subtotal / (position + 2)) * 100) / 100]),
  ) as Record<UsageCategory, number>;
  const periodStart = new Date(Date.UTC(takenAt.getUTCFullYear(), takenAt.getUTCMonth(), 1));
  const periodEnd = new Date(Date.UTC(takenAt.getUTCFullYear(), takenAt.getUTCMonth() + 1, 1));
  return {
    takenAt: takenAt.toISOString(),
    source: 'hourly',
    periodStart: periodStart.toISOString(),
    periodEnd: periodEnd.toISOString(),
    subtotal,
    categories,
    lines: {
      binary_data_cloud_storage: { label: 'Binary data storage', category: 'storage', amount: categories.storage },
      cloud_compute: { label: 'Cloud compute', category: 'compute', amount: categories.compute },
      data_egress: { label: 'Data egress', category: 'data_transfer', amount: categories.data_transfer },
    },
  };
}

import { z } from 'zod';
import type { UsageReport } from '../../src/billing/model';
import {
  comparisonSnapshot,
  DETAILED_DAYS,
  MAX_SNAPSHOTS_PER_DAY,
  RETENTION_DAYS,
  snapshotOf,
  type UsageSnapshot,
  UsageSnapshots,
  withSnapshot,
} from '../../src/digest/snapshots';
import { openStore, type Store } from '../../src/store';
import { captureLog, newEncryptionKey, tempDir, uniqueNamespace } from '../store/support';

const DAY = 24 * 60 * 60 * 1000;

const usage: UsageReport = {
  orgId: 'org-1',
  periodStart: new Date('2026-11-01T00:00:00Z'),
  periodEnd: new Date('2026-11-30T23:59:59.999Z'),
  subtotal: 123.45,
  fromDeprecatedFields: false,
  sources: [
    {
      kind: 'org',
      tierName: '',
      discount: 0,
      totalWithDiscount: 100,
      totalWithoutDiscount: 100,
      lines: [
        {
          costType: 6,
          key: 'binary_data_cloud_storage',
          label: 'Binary data storage',
          category: 'storage',
          amount: 70.1,
        },
        { costType: 4, key: 'standard_compute', label: 'Standard compute', category: 'compute', amount: 29.9 },
      ],
    },
    {
      kind: 'fragment',
      tierName: 'Fleet',
      discount: 0,
      totalWithDiscount: 23.45,
      totalWithoutDiscount: 23.45,
      lines: [
        {
          costType: 6,
          key: 'binary_data_cloud_storage',
          label: 'Binary data storage',
          category: 'storage',
          amount: 0.2,
        },
        { costType: 8, key: 'per_machine', label: 'Per machine', category: 'other', amount: 23.25 },
      ],
    },
  ],
};

function snapshotAt(at: number | string, subtotal = 1): UsageSnapshot {
  return { ...snapshotOf(usage, new Date(at), 'digest'), subtotal };
}

describe('snapshotOf', () => {
  it('keeps the period, the total, every category and each line summed over sources', () => {
    expect(snapshotOf(usage, new Date('2026-11-23T08:00:00Z'), 'digest')).toEqual({
      takenAt: '2026-11-23T08:00:00.000Z',
      source: 'digest',
      periodStart: '2026-11-01T00:00:00.000Z',
      periodEnd: '2026-11-30T23:59:59.999Z',
      subtotal: 123.45,
      categories: { storage: 70.3, compute: 29.9, data_transfer: 0, other: 23.25 },
      lines: {
        binary_data_cloud_storage: { label: 'Binary data storage', category: 'storage', amount: 70.3 },
        standard_compute: { label: 'Standard compute', category: 'compute', amount: 29.9 },
        per_machine: { label: 'Per machine', category: 'other', amount: 23.25 },
      },
    });
  });
});

describe('withSnapshot', () => {
  it('keeps a day in time order, one snapshot per instant', () => {
    let day: UsageSnapshot[] = [];
    day = withSnapshot(day, snapshotAt('2026-11-23T10:00:00Z', 2));
    day = withSnapshot(day, snapshotAt('2026-11-23T08:00:00Z', 1));
    day = withSnapshot(day, snapshotAt('2026-11-23T10:00:00Z', 3));
    expect(day.map((entry) => entry.subtotal)).toEqual([1, 3]);
  });

  it('keeps the newest up to the cap', () => {
    let day: UsageSnapshot[] = [];
    const start = Date.parse('2026-11-23T00:00:00Z');
    for (let i = 0; i < MAX_SNAPSHOTS_PER_DAY + 5; i++) day = withSnapshot(day, snapshotAt(start + i * 60_000, i));
    expect(day).toHaveLength(MAX_SNAPSHOTS_PER_DAY);
    expect(day[0]?.subtotal).toBe(5);
  });
});

describe('comparisonSnapshot', () => {
  const now = new Date('2026-11-30T08:00:00Z');

  it('picks the snapshot closest to a week before', () => {
    const history = [
      snapshotAt('2026-11-16T08:00:00Z', 1),
      snapshotAt('2026-11-22T00:00:00Z', 2),
      snapshotAt('2026-11-23T08:05:00Z', 3),
      snapshotAt('2026-11-24T00:00:00Z', 4),
    ];
    expect(comparisonSnapshot(history, now)?.subtotal).toBe(3);
  });

  it('never compares with a digest of the same org a few hours or days ago', () => {
    const history = [snapshotAt('2026-11-30T07:00:00Z', 1), snapshotAt('2026-11-27T08:00:00Z', 2)];
    expect(comparisonSnapshot(history, now)).toBeUndefined();
  });

  it('has nothing when the last snapshot is much older than a week', () => {
    expect(comparisonSnapshot([snapshotAt('2026-11-10T08:00:00Z')], now)).toBeUndefined();
    expect(comparisonSnapshot([], now)).toBeUndefined();
  });
});

describe('UsageSnapshots in the store', () => {
  let store: Store;
  let remove: () => Promise<void>;

  beforeEach(async () => {
    const temp = await tempDir();
    remove = temp.remove;
    store = await openStore({
      dataDir: temp.dir,
      namespace: uniqueNamespace(),
      encryptionKey: newEncryptionKey(),
      logger: captureLog().logger,
    });
  });

  afterEach(async () => {
    await store.close();
    await remove();
  });

  it('adds snapshots per org and finds last week’s', async () => {
    const snapshots = new UsageSnapshots(store, () => new Date('2026-11-30T09:00:00Z'));
    const ref = { teamId: 'T1' };
    await snapshots.add(ref, 'org-1', snapshotAt('2026-11-23T08:00:00Z', 10));
    await snapshots.add(ref, 'org-1', snapshotAt('2026-11-30T08:00:00Z', 20));
    await snapshots.add(ref, 'org-2', snapshotAt('2026-11-23T08:00:00Z', 30));
    expect((await snapshots.history(ref, 'org-1')).map((entry) => entry.subtotal)).toEqual([10, 20]);
    expect((await snapshots.comparisonFor(ref, 'org-1', new Date('2026-11-30T09:00:00Z')))?.subtotal).toBe(10);
    expect((await snapshots.comparisonFor(ref, 'org-2', new Date('2026-11-30T09:00:00Z')))?.subtotal).toBe(30);
    expect(await snapshots.history({ teamId: 'T2' }, 'org-1')).toEqual([]);
  });

  it('reads a range of days, and only what was taken inside it', async () => {
    const now = new Date('2026-11-26T15:00:00Z');
    const snapshots = new UsageSnapshots(store, () => now);
    const ref = { teamId: 'T1' };
    for (const [at, subtotal] of [
      ['2026-09-10T12:00:00Z', 1],
      ['2026-11-01T00:30:00Z', 2],
      ['2026-11-26T09:00:00Z', 3],
      ['2026-11-26T14:00:00Z', 4],
    ] as const) {
      await snapshots.add(ref, 'org-1', snapshotAt(at, subtotal));
    }
    expect((await snapshots.history(ref, 'org-1')).map((entry) => entry.subtotal)).toEqual([2, 3, 4]);
    const since = new Date('2026-09-01T00:00:00Z');
    expect((await snapshots.history(ref, 'org-1', { since })).map((entry) => entry.subtotal)).toEqual([1, 2, 3, 4]);
    const until = new Date('2026-11-26T10:00:00Z');
    expect((await snapshots.history(ref, 'org-1', { since, until })).map((entry) => entry.subtotal)).toEqual([1, 2, 3]);
    expect((await snapshots.latestOn(ref, 'org-1', now))?.subtotal).toBe(4);
    expect(await snapshots.latestOn(ref, 'org-1', new Date('2026-11-25T00:00:00Z'))).toBeUndefined();
  });

  it('keeps hourly detail for 30 days, then one snapshot a day, and nothing past 13 months', async () => {
    const snapshots = new UsageSnapshots(store);
    const ref = { teamId: 'T1' };
    const first = Date.parse('2025-10-01T00:00:00Z');
    const days = RETENTION_DAYS + 10;
    // Four snapshots a day for 407 days, as an hourly check would leave them (fewer, to keep the test fast).
    for (let day = 0; day < days; day++) {
      for (const hour of [0, 6, 12, 18]) {
        await snapshots.add(ref, 'org-1', snapshotAt(first + day * DAY + hour * 3_600_000, day));
      }
    }
    const last = first + (days - 1) * DAY;
    const history = await snapshots.history(ref, 'org-1', {
      since: new Date(first),
      until: new Date(last + DAY),
    });
    const perDay = new Map<string, number>();
    for (const entry of history)
      perDay.set(entry.takenAt.slice(0, 10), (perDay.get(entry.takenAt.slice(0, 10)) ?? 0) + 1);
    const dayOf = (back: number) => new Date(last - back * DAY).toISOString().slice(0, 10);
    expect(perDay.get(dayOf(0))).toBe(4);
    expect(perDay.get(dayOf(DETAILED_DAYS))).toBe(4);
    expect(perDay.get(dayOf(DETAILED_DAYS + 1))).toBe(1);
    expect(perDay.get(dayOf(200))).toBe(1);
    expect(perDay.get(dayOf(RETENTION_DAYS))).toBe(1);
    expect(perDay.has(dayOf(RETENTION_DAYS + 1))).toBe(false);
    // The one kept is the day's last.
    expect(history.find((entry) => entry.takenAt.startsWith(dayOf(200)))?.takenAt).toBe(`${dayOf(200)}T18:00:00.000Z`);
  }, 60_000);

  it('a corrupt day is skipped by tidying and the new snapshot is still kept', async () => {
    const now = new Date('2026-11-26T15:00:00Z');
    const snapshots = new UsageSnapshots(store, () => now);
    const ref = { teamId: 'T1' };
    const oldDay = new Date(now.getTime() - (DETAILED_DAYS + 2) * DAY);
    await store
      .records({ kind: 'usage-day', version: 1, schema: z.unknown() })
      .set(ref, `org-1:${oldDay.toISOString().slice(0, 10)}`, { not: 'a day' });
    await snapshots.add(ref, 'org-1', snapshotAt(now.getTime(), 7));
    expect((await snapshots.latestOn(ref, 'org-1', now))?.subtotal).toBe(7);
  });
});

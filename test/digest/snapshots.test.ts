import type { UsageReport } from '../../src/billing/model';
import {
  comparisonSnapshot,
  MAX_SNAPSHOTS,
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
  it('keeps time order and at least eight weeks', () => {
    const start = Date.parse('2026-09-01T00:00:00Z');
    let history: UsageSnapshot[] = [];
    for (let week = 0; week < 12; week++) history = withSnapshot(history, snapshotAt(start + week * 7 * DAY, week));
    // Newest is week 11; weeks 2..11 are within nine weeks of it.
    expect(history.map((entry) => entry.subtotal)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const older = withSnapshot(history, snapshotAt(start + 10 * 7 * DAY + DAY, 99));
    expect(older.map((entry) => entry.subtotal)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 99, 11]);
  });

  it('holds daily snapshots too, up to a cap', () => {
    const start = Date.parse('2026-09-01T00:00:00Z');
    let history: UsageSnapshot[] = [];
    for (let day = 0; day < 300; day++) {
      history = withSnapshot(history, { ...snapshotAt(start + day * (DAY / 4)), source: 'daily' });
    }
    expect(history).toHaveLength(MAX_SNAPSHOTS);
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
    const snapshots = new UsageSnapshots(store);
    const ref = { teamId: 'T1' };
    await snapshots.add(ref, 'org-1', snapshotAt('2026-11-23T08:00:00Z', 10));
    await snapshots.add(ref, 'org-1', snapshotAt('2026-11-30T08:00:00Z', 20));
    await snapshots.add(ref, 'org-2', snapshotAt('2026-11-23T08:00:00Z', 30));
    expect((await snapshots.history(ref, 'org-1')).map((entry) => entry.subtotal)).toEqual([10, 20]);
    expect((await snapshots.comparisonFor(ref, 'org-1', new Date('2026-11-30T09:00:00Z')))?.subtotal).toBe(10);
    expect((await snapshots.comparisonFor(ref, 'org-2', new Date('2026-11-30T09:00:00Z')))?.subtotal).toBe(30);
    expect(await snapshots.history({ teamId: 'T2' }, 'org-1')).toEqual([]);
  });
});

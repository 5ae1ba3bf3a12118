import { PNG } from 'pngjs';
import { z } from 'zod';
import { UsageSnapshots } from '../../src/digest/snapshots';
import { chartComment, chartFileName, chartHistory, renderSpendChart } from '../../src/services/spend-chart';
import { openStore, type Store } from '../../src/store';
import { dailySnapshots, NOVEMBER, OCTOBER, SEPTEMBER, snapshot, usageReport } from '../charts/fixtures';
import { pointsOf } from '../charts/svg-reader';
import { type CapturedLog, captureLog, newEncryptionKey, tempDir, uniqueNamespace } from '../store/support';

const NOW = new Date('2026-11-26T15:00:00Z');
const REF = { teamId: 'T0CHARTS01' };
const LIVE = usageReport(NOVEMBER, { storage: 80.99, compute: 88.7, data_transfer: 34.19, other: 95.35 }, 290.23);

describe('renderSpendChart', () => {
  it('gives the PNG with its file name, title and a description of its numbers', async () => {
    const chart = await renderSpendChart({
      orgLabel: 'acme',
      usage: LIVE,
      history: dailySnapshots(OCTOBER, { 26: 250.1 }),
      budget: 500,
      now: NOW,
      timeZone: 'America/New_York',
    });
    const png = PNG.sync.read(chart.png);
    expect([png.width, png.height]).toEqual([800, 450]);
    expect(chart.filename).toBe('acme-spend-2026-11.png');
    expect(chart.title).toBe('acme — spend, 1–26 Nov 2026');
    expect(chart.altText).toContain('Month to date: $290.23.');
    expect(chart.altText).toContain('The previous period had reached $250.10 by day 26; this period is 16% higher.');
    expect(chart.altText).toContain('Budget $500.00, 58% used.');
    expect(pointsOf(chart.svg, 'current').at(-1)).toMatchObject({ day: 26, value: 290.23 });
  });

  it('keeps file names and the comment safe whatever the label', async () => {
    const chart = await renderSpendChart({
      orgLabel: '<!channel> & co',
      usage: LIVE,
      history: [],
      now: NOW,
      timeZone: 'UTC',
    });
    expect(chart.filename).toBe('channel-co-spend-2026-11.png');
    expect(chartFileName('////', chart.series)).toBe('org-spend-2026-11.png');
    expect(chartComment(chart, '<!channel> & co', 'U0ADAOWNER')).toBe(
      '<@U0ADAOWNER> shared the Viam spend chart of &lt;!channel&gt; &amp; co: $290.23 month to date (1–26 Nov 2026).',
    );
    expect(chartComment(chart, 'acme')).toBe('Spend chart of acme: $290.23 month to date (1–26 Nov 2026).');
  });
});

describe('chartHistory', () => {
  let store: Store;
  let log: CapturedLog;
  let remove: () => Promise<void>;

  beforeEach(async () => {
    const temp = await tempDir();
    remove = temp.remove;
    log = captureLog();
    store = await openStore({
      dataDir: temp.dir,
      namespace: uniqueNamespace(),
      encryptionKey: newEncryptionKey(),
      logger: log.logger,
      now: () => NOW,
    });
  });

  afterEach(async () => {
    await store.close();
    await remove();
  });

  it('reads this period and the whole previous one from the store, and nothing older than needed', async () => {
    const snapshots = new UsageSnapshots(store, () => NOW);
    const saved = [
      ...dailySnapshots(SEPTEMBER, { 5: 50 }),
      ...dailySnapshots(OCTOBER, { 1: 10, 31: 310 }),
      ...dailySnapshots(NOVEMBER, { 2: 20, 25: 250 }),
    ];
    for (const entry of saved) await snapshots.add(REF, 'org-1', entry);
    await snapshots.add({ teamId: 'T0OTHER001' }, 'org-1', snapshot(NOVEMBER, '2026-11-03T14:00:00.000Z', 999));

    const history = await chartHistory(store, REF, 'org-1', LIVE, NOW, log.logger);
    expect(history.map((entry) => [entry.takenAt.slice(0, 10), entry.subtotal])).toEqual([
      ['2026-10-01', 10],
      ['2026-10-31', 310],
      ['2026-11-02', 20],
      ['2026-11-25', 250],
    ]);
  });

  it('an unreadable day never stops the chart', async () => {
    const snapshots = new UsageSnapshots(store, () => NOW);
    await snapshots.add(REF, 'org-1', snapshot(NOVEMBER, '2026-11-02T14:00:00.000Z', 20));
    await store
      .records({ kind: 'usage-day', version: 1, schema: z.unknown() })
      .set(REF, 'org-1:2026-11-03', { not: 'a day' });
    const history = await chartHistory(store, REF, 'org-1', LIVE, NOW, log.logger);
    expect(history.every((entry) => typeof entry.subtotal === 'number')).toBe(true);
    const chart = await renderSpendChart({ orgLabel: 'acme', usage: LIVE, history, now: NOW, timeZone: 'UTC' });
    expect(chart.series.current.at(-1)).toEqual({ day: 26, amount: 290.23 });
  });
});

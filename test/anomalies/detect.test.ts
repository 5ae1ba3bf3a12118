import { type Anomaly, detectAnomalies } from '../../src/anomalies/detect';
import type { UsageCategory } from '../../src/billing/model';
import type { UsageSnapshot } from '../../src/digest/snapshots';

const HOUR = 60 * 60 * 1000;
const PERIOD_START = Date.parse('2026-11-01T00:00:00Z');
const PERIOD_END = '2026-11-30T23:59:59.999Z';

interface LineSpec {
  key: string;
  category: UsageCategory;
  /** Dollars spent during day `day` (0 = Nov 1). */
  perDay: (day: number) => number;
}

const STORAGE: LineSpec = { key: 'binary_data_cloud_storage', category: 'storage', perDay: () => 40 };
const COMPUTE: LineSpec = { key: 'standard_compute', category: 'compute', perDay: () => 30 };

/**
 * Hourly snapshots from Nov 1 to `untilHour` hours later, each holding month-to-date totals of the
 * lines, as the hourly check would record them. `skip` leaves hours out (downtime).
 */
function hourly(lines: LineSpec[], untilHour: number, skip: (hour: number) => boolean = () => false): UsageSnapshot[] {
  const snapshots: UsageSnapshot[] = [];
  const totals = new Map<string, number>(lines.map((line) => [line.key, 0]));
  for (let hour = 0; hour <= untilHour; hour++) {
    if (hour > 0) {
      for (const line of lines)
        totals.set(line.key, (totals.get(line.key) ?? 0) + line.perDay(Math.floor((hour - 1) / 24)) / 24);
    }
    if (skip(hour)) continue;
    const categories = { storage: 0, compute: 0, data_transfer: 0, other: 0 };
    const entries: UsageSnapshot['lines'] = {};
    for (const line of lines) {
      const amount = totals.get(line.key) ?? 0;
      categories[line.category] += amount;
      if (amount > 0) entries[line.key] = { label: line.key, category: line.category, amount };
    }
    snapshots.push({
      takenAt: new Date(PERIOD_START + hour * HOUR).toISOString(),
      source: 'hourly',
      periodStart: new Date(PERIOD_START).toISOString(),
      periodEnd: PERIOD_END,
      subtotal: Object.values(categories).reduce((a, b) => a + b, 0),
      categories,
      lines: entries,
    });
  }
  return snapshots;
}

function detect(history: UsageSnapshot[], options: Partial<Parameters<typeof detectAnomalies>[0]> = {}): Anomaly[] {
  const now = new Date(Date.parse(history.at(-1)?.takenAt ?? '2026-11-20T00:00:00Z'));
  return detectAnomalies({ history, now, ...options });
}

const DAY_20 = 20 * 24;

describe('detectAnomalies on synthetic series', () => {
  it('steady spend alerts nothing', () => {
    expect(detect(hourly([STORAGE, COMPUTE], DAY_20))).toEqual([]);
  });

  it('a steady ramp of 5% a day alerts nothing', () => {
    const ramp: LineSpec = { ...STORAGE, perDay: (day) => 40 * 1.05 ** day };
    expect(detect(hourly([ramp, COMPUTE], DAY_20))).toEqual([]);
  });

  it('a spike on one line alerts that line with its rate, usual rate and month-end impact', () => {
    const spiky: LineSpec = { ...STORAGE, perDay: (day) => (day === 19 ? 100 : 40) };
    const [anomaly, ...more] = detect(hourly([spiky, COMPUTE], DAY_20));
    expect(more).toEqual([]);
    expect(anomaly).toMatchObject({
      key: 'line:binary_data_cloud_storage',
      kind: 'line',
      reason: 'spike',
      category: 'storage',
      ratePerDay: 100,
      baselinePerDay: 40,
    });
    // Nov 21 00:00 to Nov 30 23:59:59.999 is 10 days at $60 a day more.
    expect(anomaly?.monthEndImpact).toBeCloseTo(600, 0);
    expect(anomaly?.daily.at(-1)).toEqual({ day: '2026-11-20', amount: 100 });
    expect(anomaly?.daily.at(-2)).toEqual({ day: '2026-11-19', amount: 40 });
    expect(anomaly?.daily).toHaveLength(14);
  });

  it('the relative bar: 40% above the usual rate is not enough, 50% is', () => {
    const at = (factor: number): LineSpec => ({ ...STORAGE, perDay: (day) => (day === 19 ? 40 * factor : 40) });
    expect(detect(hourly([at(1.4)], DAY_20))).toEqual([]);
    expect(detect(hourly([at(1.5)], DAY_20)).map((a) => a.key)).toEqual(['line:binary_data_cloud_storage']);
    expect(detect(hourly([at(1.5)], DAY_20), { thresholds: { minIncreasePct: 60, minDailyUsd: 20 } })).toEqual([]);
  });

  it('a new line that was zero and is now material alerts as new', () => {
    const egress: LineSpec = { key: 'data_egress', category: 'data_transfer', perDay: (day) => (day === 19 ? 45 : 0) };
    const found = detect(hourly([STORAGE, egress], DAY_20));
    expect(found.map((a) => [a.key, a.reason, a.ratePerDay, a.baselinePerDay])).toEqual([
      ['line:data_egress', 'new', 45, 0],
    ]);
  });

  it('a tiny line tripling stays below the $20 floor and alerts nothing', () => {
    const tiny: LineSpec = { key: 'remote_control', category: 'other', perDay: (day) => (day === 19 ? 6 : 2) };
    expect(detect(hourly([STORAGE, tiny], DAY_20))).toEqual([]);
    expect(
      detect(hourly([STORAGE, tiny], DAY_20), { thresholds: { minIncreasePct: 50, minDailyUsd: 5 } }),
    ).toHaveLength(1);
  });

  it('a three-day gap from downtime is spread over the gap, not read as a spike', () => {
    const history = hourly([STORAGE, COMPUTE], DAY_20, (hour) => hour > 16 * 24 && hour < DAY_20 - 2);
    expect(history.length).toBeLessThan(DAY_20 - 60);
    expect(detect(history)).toEqual([]);
  });

  it('too little history gives no verdict rather than calling everything new', () => {
    const twoDays = hourly([STORAGE, COMPUTE], 48);
    expect(detect(twoDays)).toEqual([]);
  });

  it('a category spike without a single line standing out alerts the category', () => {
    const lines: LineSpec[] = ['a', 'b', 'c'].map((key) => ({
      key,
      category: 'compute' as const,
      perDay: (day: number) => (day === 19 ? 18 : 10),
    }));
    const found = detect(hourly(lines, DAY_20));
    expect(found.map((a) => [a.key, a.reason, a.ratePerDay])).toEqual([['category:compute', 'spike', 54]]);
  });

  it('a line spike is not repeated as its category', () => {
    const spiky: LineSpec = { ...STORAGE, perDay: (day) => (day === 19 ? 100 : 40) };
    expect(detect(hourly([spiky], DAY_20)).map((a) => a.key)).toEqual(['line:binary_data_cloud_storage']);
  });

  it('a muted line (marked Expected) does not alert', () => {
    const spiky: LineSpec = { ...STORAGE, perDay: (day) => (day === 19 ? 100 : 40) };
    const history = hourly([spiky], DAY_20);
    // Muting the line also keeps its category quiet: the line explains the category's rise.
    expect(detect(history, { muted: new Set(['line:binary_data_cloud_storage']) })).toEqual([]);
  });

  it('across the start of a new period the reset to zero is not negative spend, and the new month counts', () => {
    const history = hourly([STORAGE], 30 * 24);
    const december = Date.parse('2026-12-01T00:00:00Z');
    for (let hour = 1; hour <= 12; hour++) {
      const amount = (90 / 24) * hour;
      history.push({
        takenAt: new Date(december + hour * HOUR).toISOString(),
        source: 'hourly',
        periodStart: '2026-12-01T00:00:00.000Z',
        periodEnd: '2026-12-31T23:59:59.999Z',
        subtotal: amount,
        categories: { storage: amount, compute: 0, data_transfer: 0, other: 0 },
        lines: { binary_data_cloud_storage: { label: 'Storage', category: 'storage', amount } },
      });
    }
    const [anomaly] = detect(history);
    expect(anomaly).toMatchObject({ key: 'line:binary_data_cloud_storage', reason: 'spike' });
    expect(anomaly?.baselinePerDay).toBe(40);
    // Half the window is the old month at $40/day, half the new at $90/day.
    expect(anomaly?.ratePerDay).toBeCloseTo(65, 0);
  });
});

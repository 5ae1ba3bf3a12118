import { DAILY_VIEW_MIN_DAYS, previousByDay, spendSeries } from '../../src/charts/series';
import { dailySnapshots, FEBRUARY, NOVEMBER, OCTOBER, SEPTEMBER, snapshot, usageReport } from './fixtures';

const NOW = new Date('2026-11-26T15:00:00Z');
const LIVE = usageReport(NOVEMBER, { storage: 80.99, compute: 88.7, data_transfer: 34.19, other: 95.35 }, 290.23);

describe('spendSeries', () => {
  it('bars: month-to-date per category in the usual order, empty categories left out', () => {
    const usage = usageReport(NOVEMBER, { other: 12.5, storage: 3.25, compute: 0, data_transfer: 0.001 });
    const series = spendSeries({ usage, history: [], now: NOW, timeZone: 'UTC' });
    expect(series.categories).toEqual([
      { category: 'storage', label: 'Storage', amount: 3.25 },
      { category: 'other', label: 'Other', amount: 12.5 },
    ]);
  });

  it('this period: the last snapshot of each earlier day, then the live figure today; gaps stay gaps', () => {
    const history = [
      ...dailySnapshots(NOVEMBER, { 1: 5, 2: 15, 5: 60, 20: 200 }),
      // A second, later snapshot on the 5th wins over the first.
      snapshot(NOVEMBER, '2026-11-05T22:00:00.000Z', 64),
      // Today's snapshot is superseded by the live figure.
      snapshot(NOVEMBER, '2026-11-26T09:00:00.000Z', 280),
    ];
    const series = spendSeries({ usage: LIVE, history, now: NOW, timeZone: 'UTC' });
    expect(series.days).toBe(30);
    expect(series.today).toBe(26);
    expect(series.current).toEqual([
      { day: 1, amount: 5 },
      { day: 2, amount: 15 },
      { day: 5, amount: 64 },
      { day: 20, amount: 200 },
      { day: 26, amount: 290.23 },
    ]);
    // No zero stands in for the days without a snapshot.
    expect(series.current.some((point) => point.amount === 0)).toBe(false);
  });

  it('ignores snapshots taken after now and snapshots of other periods in this period’s line', () => {
    const history = [
      ...dailySnapshots(NOVEMBER, { 3: 30 }),
      snapshot(NOVEMBER, '2026-11-27T10:00:00.000Z', 999),
      snapshot(OCTOBER, '2026-10-03T10:00:00.000Z', 25),
    ];
    const series = spendSeries({ usage: LIVE, history, now: NOW, timeZone: 'UTC' });
    expect(series.current).toEqual([
      { day: 3, amount: 30 },
      { day: 26, amount: 290.23 },
    ]);
  });

  it('on the first day of the period the line is the live figure alone', () => {
    const usage = usageReport(NOVEMBER, { compute: 4.2 });
    const now = new Date('2026-11-01T06:00:00Z');
    const series = spendSeries({ usage, history: dailySnapshots(OCTOBER, { 30: 300, 31: 310 }), now, timeZone: 'UTC' });
    expect(series.today).toBe(1);
    expect(series.current).toEqual([{ day: 1, amount: 4.2 }]);
    expect(series.previous?.points.at(-1)).toEqual({ day: 31, amount: 310 });
  });

  it('without earlier snapshots there is no previous period, and without a budget no budget', () => {
    const series = spendSeries({
      usage: LIVE,
      history: dailySnapshots(NOVEMBER, { 2: 20 }),
      now: NOW,
      timeZone: 'UTC',
    });
    expect(series.previous).toBeUndefined();
    expect(series.budget).toBeUndefined();
    expect(previousByDay(series, 26)).toBeUndefined();
  });

  it('keeps a positive budget only', () => {
    expect(spendSeries({ usage: LIVE, history: [], budget: 500, now: NOW, timeZone: 'UTC' }).budget).toBe(500);
    expect(spendSeries({ usage: LIVE, history: [], budget: 0, now: NOW, timeZone: 'UTC' }).budget).toBeUndefined();
    expect(
      spendSeries({ usage: LIVE, history: [], budget: Number.NaN, now: NOW, timeZone: 'UTC' }).budget,
    ).toBeUndefined();
  });

  it('the previous period is the latest one before this, aligned by day of period, and may be longer', () => {
    const history = [
      ...dailySnapshots(SEPTEMBER, { 10: 1000 }),
      ...dailySnapshots(OCTOBER, { 1: 10, 4: 40, 30: 300, 31: 320 }),
      ...dailySnapshots(NOVEMBER, { 1: 11 }),
    ];
    const series = spendSeries({ usage: LIVE, history, now: NOW, timeZone: 'UTC' });
    expect(series.previous).toEqual({
      periodStart: new Date(OCTOBER.start),
      days: 31,
      points: [
        { day: 1, amount: 10 },
        { day: 4, amount: 40 },
        { day: 30, amount: 300 },
        { day: 31, amount: 320 },
      ],
    });
    // By day 26 the previous period had reached its day-4 figure: days without data are bridged.
    expect(previousByDay(series, 26)).toBe(40);
    expect(previousByDay(series, 30)).toBe(300);
  });

  it('a shorter previous period (February before March) ends at its own last day', () => {
    const march = { start: '2027-03-01T00:00:00.000Z', end: '2027-03-31T23:59:59.999Z' };
    const usage = usageReport(march, { storage: 50 });
    const now = new Date('2027-03-31T12:00:00Z');
    const series = spendSeries({
      usage,
      history: dailySnapshots(FEBRUARY, { 27: 270, 28: 280 }),
      now,
      timeZone: 'UTC',
    });
    expect(series.days).toBe(31);
    expect(series.today).toBe(31);
    expect(series.previous?.days).toBe(28);
    expect(series.previous?.points).toEqual([
      { day: 27, amount: 270 },
      { day: 28, amount: 280 },
    ]);
    expect(previousByDay(series, 31)).toBe(280);
  });

  it('counts days in the reader’s zone when the period does not start at UTC midnight', () => {
    // A period starting at midnight in New York (04:00 UTC, still daylight time).
    const period = { start: '2026-11-01T04:00:00.000Z', end: '2026-12-01T05:00:00.000Z' };
    const usage = usageReport(period, { compute: 10 });
    const lateEvening = new Date('2026-11-03T03:30:00Z'); // Nov 2, 22:30 in New York
    const series = spendSeries({
      usage,
      history: [snapshot(period, '2026-11-02T03:00:00.000Z', 4)], // Nov 1, 22:00 in New York
      now: lateEvening,
      timeZone: 'America/New_York',
    });
    expect(series.zone).toBe('America/New_York');
    expect(series.today).toBe(2);
    expect(series.current).toEqual([
      { day: 1, amount: 4 },
      { day: 2, amount: 10 },
    ]);
  });
});

describe('the chart view: invoiced months until the app has its own history', () => {
  const months = [
    { month: new Date('2026-09-01T00:00:00Z'), amount: 251.1 },
    { month: new Date('2026-10-01T00:00:00Z'), amount: 268.55 },
  ];

  it('is monthly with invoices and fewer than a week of this period’s snapshots', () => {
    const history = dailySnapshots(NOVEMBER, { 20: 200, 21: 210, 22: 220 });
    const series = spendSeries({ usage: LIVE, history, invoicedMonths: months, now: NOW, timeZone: 'UTC' });
    expect(series.view).toBe('monthly');
    expect(series.invoicedMonths).toEqual(months);
  });

  it(`turns daily once ${DAILY_VIEW_MIN_DAYS} days of this period have snapshots`, () => {
    const days = Object.fromEntries(Array.from({ length: DAILY_VIEW_MIN_DAYS }, (_, i) => [i + 1, (i + 1) * 10]));
    const series = spendSeries({
      usage: LIVE,
      history: dailySnapshots(NOVEMBER, days),
      invoicedMonths: months,
      now: NOW,
      timeZone: 'UTC',
    });
    expect(series.view).toBe('daily');
  });

  it('is daily as soon as the previous period has a line, and without invoices', () => {
    const withPrevious = spendSeries({
      usage: LIVE,
      history: dailySnapshots(OCTOBER, { 3: 30 }),
      invoicedMonths: months,
      now: NOW,
      timeZone: 'UTC',
    });
    expect(withPrevious.view).toBe('daily');
    expect(spendSeries({ usage: LIVE, history: [], now: NOW, timeZone: 'UTC' }).view).toBe('daily');
  });
});

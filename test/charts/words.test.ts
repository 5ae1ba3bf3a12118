import { spendSeries } from '../../src/charts/series';
import { chartTitle, describeSpendChart, shortLabel, spanWords } from '../../src/charts/words';
import { dailySnapshots, NOVEMBER, OCTOBER, usageReport } from './fixtures';

function seriesAt(now: string, period = NOVEMBER, extra: { budget?: number } = {}) {
  const usage = usageReport(period, { storage: 80.99, compute: 88.7, other: 95.35 }, 265.04);
  return spendSeries({
    usage,
    history: dailySnapshots(OCTOBER, { 20: 200, 26: 250 }),
    now: new Date(now),
    timeZone: 'UTC',
    ...extra,
  });
}

describe('spanWords', () => {
  it('names the days covered so far', () => {
    expect(spanWords(seriesAt('2026-11-26T15:00:00Z'))).toBe('1–26 Nov 2026');
    expect(spanWords(seriesAt('2026-11-01T01:00:00Z'))).toBe('1 Nov 2026');
    const midMonth = { start: '2026-11-15T00:00:00.000Z', end: '2026-12-15T00:00:00.000Z' };
    expect(spanWords(seriesAt('2026-12-03T09:00:00Z', midMonth))).toBe('15 Nov – 3 Dec 2026');
    const acrossYears = { start: '2026-12-15T00:00:00.000Z', end: '2027-01-15T00:00:00.000Z' };
    expect(spanWords(seriesAt('2027-01-10T09:00:00Z', acrossYears))).toBe('15 Dec 2026 – 10 Jan 2027');
  });
});

describe('chartTitle and shortLabel', () => {
  it('cuts long labels with an ellipsis, whole characters only', () => {
    expect(shortLabel('  acme ')).toBe('acme');
    const long = `${'🤖'.repeat(40)}`;
    expect(Array.from(shortLabel(long))).toHaveLength(30);
    expect(shortLabel(long).endsWith('🤖…')).toBe(true);
    expect(chartTitle(seriesAt('2026-11-26T15:00:00Z'), 'acme')).toBe('acme — spend, 1–26 Nov 2026');
  });
});

describe('describeSpendChart', () => {
  it('says every number the picture shows', () => {
    const text = describeSpendChart(seriesAt('2026-11-26T15:00:00Z', NOVEMBER, { budget: 500 }), 'acme');
    expect(text).toBe(
      'Chart of Viam spend for acme, 1–26 Nov 2026, day 26 of 30. Month to date: $265.04. ' +
        'By category: Storage $80.99, Compute $88.70, Other $95.35. ' +
        'The previous period had reached $250.00 by day 26; this period is 6% higher. ' +
        'Budget $500.00, 53% used.',
    );
    expect(text.length).toBeLessThan(1000);
  });

  it('says what is missing rather than leaving it out silently', () => {
    const usage = usageReport(NOVEMBER, {}, 0);
    const series = spendSeries({ usage, history: [], now: new Date('2026-11-02T00:00:00Z'), timeZone: 'UTC' });
    expect(describeSpendChart(series, 'acme')).toBe(
      'Chart of Viam spend for acme, 1–2 Nov 2026, day 2 of 30. Month to date: $0.00. No spend by category yet. ' +
        'No earlier period to compare with yet. No budget set.',
    );
  });
});

import { approxTextWidth, TEXT_SIZE, WIDTH } from '../../src/charts/layout';
import { rasterize } from '../../src/charts/rasterize';
import { spendSeries } from '../../src/charts/series';
import { spendChartSvg } from '../../src/charts/spend-chart-svg';
import { dailySnapshots, NOVEMBER, OCTOBER, usageReport } from './fixtures';
import { dayTicksOf, elements, moneyTicks, pixelOn, pointsOf } from './svg-reader';

const NOW = new Date('2026-11-26T15:00:00Z');
const LIVE = usageReport(NOVEMBER, { storage: 80.99, compute: 88.7, data_transfer: 34.19, other: 95.35 }, 290.23);
const HISTORY = [
  ...dailySnapshots(OCTOBER, { 1: 9, 2: 21, 10: 95.5, 26: 250.1, 31: 301 }),
  ...dailySnapshots(NOVEMBER, { 1: 11.25, 2: 20, 3: 33.3, 9: 99.99, 25: 280 }),
];

function chart(options: { budget?: number; history?: typeof HISTORY; label?: string } = {}) {
  const series = spendSeries({
    usage: LIVE,
    history: options.history ?? HISTORY,
    now: NOW,
    timeZone: 'UTC',
    ...(options.budget === undefined ? {} : { budget: options.budget }),
  });
  return { series, svg: spendChartSvg(series, options.label ?? 'acme') };
}

describe('spendChartSvg', () => {
  it('is a 1200×675 picture with the org and the period in its title, and no text under 22 px', () => {
    const { svg } = chart();
    const [root] = elements(svg, (e) => e.name === 'svg');
    expect(root?.attrs).toMatchObject({ width: '1200', height: '675', 'font-size': '22' });
    expect(svg).toContain('>acme — spend, 1–26 Nov 2026</text>');
    expect(svg).toContain('<title>acme — spend, 1–26 Nov 2026</title>');
    const sizes = elements(svg, (e) => e.attrs['font-size'] !== undefined).map((e) => Number(e.attrs['font-size']));
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(22);
  });

  it('draws one bar per category with spend, its length proportional to the amount, labelled in dollars', () => {
    const { svg } = chart();
    const bars = elements(svg, (e) => e.attrs.class === 'bar');
    expect(bars.map((bar) => [bar.attrs['data-category'], Number(bar.attrs['data-value'])])).toEqual([
      ['storage', 80.99],
      ['compute', 88.7],
      ['data_transfer', 34.19],
      ['other', 95.35],
    ]);
    const perDollar = bars.map((bar) => Number(bar.attrs.width) / Number(bar.attrs['data-value']));
    for (const ratio of perDollar) expect(ratio).toBeCloseTo(perDollar[0] as number, 1);
    for (const label of ['$80.99', '$88.70', '$34.19', '$95.35']) expect(svg).toContain(`>${label}</text>`);
  });

  it('plots this period’s snapshots and the live figure where the axes say they are', () => {
    const { svg, series } = chart({ budget: 500 });
    const points = pointsOf(svg, 'current');
    expect(points.map(({ day, value }) => ({ day, amount: value }))).toEqual(series.current);
    expect(points.map(({ day, value }) => [day, value])).toEqual([
      [1, 11.25],
      [2, 20],
      [3, 33.3],
      [9, 99.99],
      [25, 280],
      [26, 290.23],
    ]);
    const money = moneyTicks(svg);
    const days = dayTicksOf(svg);
    expect(money.map(([value]) => value)).toEqual([0, 100, 200, 300, 400, 500]);
    expect(days.map(([day]) => day)).toEqual([1, 5, 10, 15, 20, 25, 30]);
    for (const point of points) {
      expect(point.y).toBeCloseTo(pixelOn(money, point.value), 0);
      expect(point.x).toBeCloseTo(pixelOn(days, point.day), 0);
    }
    // The line goes straight from day 3 to day 9: nothing is drawn for the days between.
    const [line] = elements(svg, (e) => e.name === 'polyline' && e.attrs['data-series'] === 'current');
    expect(line?.attrs.points?.split(' ')).toHaveLength(points.length);
    expect(line?.attrs.points).toBe(points.map((point) => `${point.x},${point.y}`).join(' '));
  });

  it('plots the previous period by day of period, past this period’s last tick when it was longer', () => {
    const { svg } = chart();
    const previous = pointsOf(svg, 'previous');
    expect(previous.map(({ day, value }) => [day, value])).toEqual([
      [1, 9],
      [2, 21],
      [10, 95.5],
      [26, 250.1],
      [31, 301],
    ]);
    const days = dayTicksOf(svg);
    const [first, second] = days;
    if (!first || !second) throw new Error('no day ticks');
    const pxPerDay = (second[1] - first[1]) / (second[0] - first[0]);
    for (const point of previous) expect(point.x).toBeCloseTo(first[1] + (point.day - first[0]) * pxPerDay, 0);
    expect(previous.at(-1)?.x).toBeGreaterThan(days.at(-1)?.[1] ?? Number.POSITIVE_INFINITY);
  });

  it('draws the budget as a dotted horizontal line at its amount, with a legend entry', () => {
    const { svg } = chart({ budget: 425 });
    const [budget] = elements(svg, (e) => e.name === 'line' && e.attrs['data-series'] === 'budget');
    expect(Number(budget?.attrs['data-value'])).toBe(425);
    expect(budget?.attrs.y1).toBe(budget?.attrs.y2);
    expect(Number(budget?.attrs.y1)).toBeCloseTo(pixelOn(moneyTicks(svg), 425), 0);
    expect(svg).toContain('>Budget $425.00</text>');
  });

  it('tells the series apart by dash pattern and marker shape as well as by colour', () => {
    const { svg } = chart({ budget: 425 });
    const style = (series: string) => {
      const [line] = elements(
        svg,
        (e) => (e.name === 'polyline' || e.name === 'line') && e.attrs['data-series'] === series,
      );
      return line?.attrs;
    };
    const [current, previous, budget] = [style('current'), style('previous'), style('budget')];
    expect(current?.['stroke-dasharray']).toBeUndefined();
    expect(previous?.['stroke-dasharray']).toBeDefined();
    expect(budget?.['stroke-dasharray']).toBeDefined();
    expect(previous?.['stroke-dasharray']).not.toBe(budget?.['stroke-dasharray']);
    expect(new Set([current?.stroke, previous?.stroke, budget?.stroke]).size).toBe(3);
    const markerShapes = (series: string) =>
      new Set(elements(svg, (e) => e.attrs['data-series'] === series && e.attrs.class === 'point').map((e) => e.name));
    expect(markerShapes('current')).toEqual(new Set(['circle']));
    expect(markerShapes('previous')).toEqual(new Set(['rect']));
    const legend = elements(svg, (e) => e.attrs.class === 'legend-item').map((e) => e.attrs['data-series']);
    expect(legend).toEqual(['current', 'previous', 'budget']);
  });

  it('without a budget or an earlier period, draws neither and leaves them out of the legend', () => {
    const { svg } = chart({ history: dailySnapshots(NOVEMBER, { 4: 40 }) });
    expect(elements(svg, (e) => e.attrs['data-series'] === 'budget')).toEqual([]);
    expect(elements(svg, (e) => e.attrs['data-series'] === 'previous')).toEqual([]);
    expect(elements(svg, (e) => e.attrs.class === 'legend-item').map((e) => e.attrs['data-series'])).toEqual([
      'current',
    ]);
    expect(svg).not.toContain('Budget');
  });

  it('says so when nothing was spent yet, and still draws the $0 line', () => {
    const usage = usageReport(NOVEMBER, {}, 0);
    const series = spendSeries({ usage, history: [], now: new Date('2026-11-01T02:00:00Z'), timeZone: 'UTC' });
    const svg = spendChartSvg(series, 'acme');
    expect(svg).toContain('>No spend yet this period.</text>');
    expect(pointsOf(svg, 'current')).toEqual([expect.objectContaining({ day: 1, value: 0 })]);
    expect(svg).toContain('>acme — spend, 1 Nov 2026</text>');
  });

  it('escapes a hostile org label everywhere, and the document still renders', async () => {
    const label = `<script>"x"</script> & 'co'\u0007`;
    const { svg } = chart({ label });
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('\u0007');
    expect(svg).toContain(
      '>&lt;script&gt;&quot;x&quot;&lt;/script&gt; &amp; &apos;co&apos; — spend, 1–26 Nov 2026</text>',
    );
    const png = await rasterize(svg);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  });
});

describe('spendChartSvg in the monthly view', () => {
  const months = [
    { month: new Date('2026-08-01T00:00:00Z'), amount: 150 },
    { month: new Date('2026-09-01T00:00:00Z'), amount: 300 },
    { month: new Date('2026-10-01T00:00:00Z'), amount: 268.55 },
  ];
  const monthly = () => {
    const series = spendSeries({ usage: LIVE, history: [], invoicedMonths: months, now: NOW, timeZone: 'UTC' });
    return { series, svg: spendChartSvg(series, 'acme') };
  };

  it('draws a filled bar per invoiced month and a hollow one for this month so far, heights proportional', () => {
    const { series, svg } = monthly();
    expect(series.view).toBe('monthly');
    const bars = elements(svg, (e) => e.attrs.class === 'bar' && e.attrs['data-month'] !== undefined);
    expect(
      bars.map((bar) => [bar.attrs['data-series'], bar.attrs['data-month'], Number(bar.attrs['data-value'])]),
    ).toEqual([
      ['invoiced', '2026-08', 150],
      ['invoiced', '2026-09', 300],
      ['invoiced', '2026-10', 268.55],
      ['month-to-date', '2026-11', 290.23],
    ]);
    const perDollar = bars.map((bar) => Number(bar.attrs.height) / Number(bar.attrs['data-value']));
    for (const ratio of perDollar) expect(ratio).toBeCloseTo(perDollar[0] as number, 1);
    expect(bars.at(-1)?.attrs['stroke-dasharray']).toBeDefined();
    expect(bars[0]?.attrs['stroke-dasharray']).toBeUndefined();
  });

  it('says where each figure comes from, draws no daily lines, and keeps text at 22 px or more', () => {
    const { svg } = monthly();
    expect(svg).toContain('Filled: invoice totals from Viam (with tax and credits).');
    expect(svg).toContain('Hollow: this month’s usage so far.');
    expect(svg).toContain('Oct 2026 invoiced $268.55');
    expect(elements(svg, (e) => e.attrs.class === 'line-panel')).toEqual([]);
    const sizes = elements(svg, (e) => e.attrs['font-size'] !== undefined).map((e) => Number(e.attrs['font-size']));
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(22);
  });

  it('keeps every left-aligned line inside the canvas (the legend once ran past its right edge)', () => {
    const { svg } = monthly();
    const lines = [...svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)]
      .filter(([, attrs]) => !attrs?.includes('text-anchor'))
      .map(([, attrs, content]) => ({
        x: Number(/(?:^|\s)x="([\d.]+)"/.exec(attrs ?? '')?.[1]),
        size: Number(/font-size="(\d+)"/.exec(attrs ?? '')?.[1] ?? TEXT_SIZE),
        content: content ?? '',
      }));
    expect(lines.map((line) => line.content)).toContain('Hollow: this month’s usage so far. Daily lines after a week.');
    for (const line of lines) expect(line.x + approxTextWidth(line.content, line.size)).toBeLessThanOrEqual(WIDTH);
  });

  it('labels the daily panel as coming from hourly snapshots', () => {
    expect(chart().svg).toContain('Cumulative spend by day (from hourly snapshots)');
  });

  it('rasterizes', async () => {
    const png = await rasterize(monthly().svg);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  });
});

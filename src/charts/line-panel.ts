/**
 * Cumulative spend by day of the billing period: this period (solid, circles), the previous period
 * aligned by day of period (dashed, squares) and the budget (dotted), with $ and day-of-month axes
 * and a legend. Days without data are bridged by the line, never drawn as zero.
 */
import { tz } from '@date-fns/tz';
import { format } from 'date-fns';
import { formatMoney } from '../blocks/format';
import { approxTextWidth, type Box, HEADING_SIZE, TEXT_SIZE } from './layout';
import { GRID, INK, MUTED_INK, SERIES_STYLES, type SeriesName } from './palette';
import { dayTicks, formatMoneyTick, linear, moneyAxis } from './scale';
import type { DayPoint, SpendSeries } from './series';
import { element, text } from './svg-markup';
import { dateOfDay } from './words';

/** Room left of the plot for $ tick labels and the rotated axis title. */
const LEFT_ROOM = 140;
const RIGHT_ROOM = 16;
const TOP_ROOM = 56;
/** Below the plot: day ticks, the axis title, the legend. */
const BOTTOM_ROOM = 150;
const MARKER_SIZE = 12;

interface Plot {
  left: number;
  right: number;
  top: number;
  bottom: number;
  x: (day: number) => number;
  y: (amount: number) => number;
}

export function linePanel(series: SpendSeries, box: Box): string {
  const amounts = [
    ...series.current.map((point) => point.amount),
    ...(series.previous?.points.map((point) => point.amount) ?? []),
    ...(series.budget === undefined ? [] : [series.budget]),
  ];
  const axis = moneyAxis(Math.max(0, ...amounts));
  const lastDay = Math.max(series.days, ...(series.previous?.points.map((point) => point.day) ?? []));
  const left = box.x + LEFT_ROOM;
  const right = box.x + box.width - RIGHT_ROOM;
  const top = box.y + TOP_ROOM;
  const bottom = box.y + box.height - BOTTOM_ROOM;
  const plot: Plot = {
    left,
    right,
    top,
    bottom,
    x: linear(1, Math.max(2, lastDay), left, right),
    y: linear(0, axis.max, bottom, top),
  };

  const parts = [
    text('Cumulative spend by day (from hourly snapshots)', {
      x: box.x,
      y: box.y + HEADING_SIZE,
      'font-size': HEADING_SIZE,
      'font-weight': 'bold',
    }),
    moneyGrid(plot, axis.ticks, axis.step),
    dayAxis(series, plot),
    yAxisTitle(box, plot),
  ];
  if (series.budget !== undefined) parts.push(budgetLine(series.budget, plot));
  if (series.previous) parts.push(seriesLine('previous', series.previous.points, plot));
  parts.push(seriesLine('current', series.current, plot));
  parts.push(legend(series, box));
  return element('g', { class: 'line-panel' }, parts);
}

function moneyGrid(plot: Plot, ticks: readonly number[], step: number): string {
  const lines = ticks.map((tick) =>
    element('g', { class: 'y-tick', 'data-value': tick }, [
      element('line', {
        x1: plot.left,
        x2: plot.right,
        y1: plot.y(tick),
        y2: plot.y(tick),
        stroke: tick === 0 ? MUTED_INK : GRID,
        'stroke-width': tick === 0 ? 2 : 1,
      }),
      text(formatMoneyTick(tick, step), {
        x: plot.left - 12,
        y: plot.y(tick) + TEXT_SIZE * 0.35,
        'text-anchor': 'end',
        fill: MUTED_INK,
      }),
    ]),
  );
  return element('g', { class: 'y-axis' }, lines);
}

function dayAxis(series: SpendSeries, plot: Plot): string {
  const options = { in: tz(series.zone) };
  const ticks = dayTicks(series.days).map((day) =>
    element('g', { class: 'x-tick', 'data-day': day }, [
      element('line', { x1: plot.x(day), x2: plot.x(day), y1: plot.bottom, y2: plot.bottom + 8, stroke: MUTED_INK }),
      text(format(dateOfDay(series, day), 'd', options), {
        x: plot.x(day),
        y: plot.bottom + 8 + TEXT_SIZE + 4,
        'text-anchor': 'middle',
        fill: MUTED_INK,
      }),
    ]),
  );
  const startsMonth = format(series.periodStart, 'd', options) === '1';
  const title = startsMonth
    ? `Day of ${format(series.periodStart, 'MMMM yyyy', options)}`
    : `Day of the billing period that began ${format(series.periodStart, 'MMM d, yyyy', options)}`;
  return element('g', { class: 'x-axis' }, [
    ...ticks,
    text(title, { x: (plot.left + plot.right) / 2, y: plot.bottom + 80, 'text-anchor': 'middle' }),
  ]);
}

function yAxisTitle(box: Box, plot: Plot): string {
  const x = box.x + TEXT_SIZE;
  const y = (plot.top + plot.bottom) / 2;
  return text('Spend (USD)', { x, y, 'text-anchor': 'middle', transform: `rotate(-90 ${x} ${y})` });
}

function budgetLine(budget: number, plot: Plot): string {
  const style = SERIES_STYLES.budget;
  return element('line', {
    class: 'series',
    'data-series': 'budget',
    'data-value': budget,
    x1: plot.left,
    x2: plot.right,
    y1: plot.y(budget),
    y2: plot.y(budget),
    stroke: style.colour,
    'stroke-width': style.width,
    'stroke-dasharray': style.dash,
    'stroke-linecap': 'round',
  });
}

function seriesLine(name: Exclude<SeriesName, 'budget'>, points: readonly DayPoint[], plot: Plot): string {
  const style = SERIES_STYLES[name];
  const path = element('polyline', {
    class: 'series',
    'data-series': name,
    points: points.map((point) => `${round(plot.x(point.day))},${round(plot.y(point.amount))}`).join(' '),
    fill: 'none',
    stroke: style.colour,
    'stroke-width': style.width,
    'stroke-dasharray': style.dash,
    'stroke-linejoin': 'round',
  });
  const markers = points.map((point) =>
    marker(style.marker, plot.x(point.day), plot.y(point.amount), style.colour, {
      class: 'point',
      'data-series': name,
      'data-day': point.day,
      'data-value': point.amount,
    }),
  );
  return element('g', { class: `series-${name}` }, [path, ...markers]);
}

function marker(
  shape: 'circle' | 'square' | 'none',
  x: number,
  y: number,
  colour: string,
  data: Record<string, string | number>,
): string {
  if (shape === 'circle') return element('circle', { ...data, cx: x, cy: y, r: MARKER_SIZE / 2, fill: colour });
  if (shape === 'square') {
    const half = MARKER_SIZE / 2;
    return element('rect', {
      ...data,
      x: x - half,
      y: y - half,
      width: MARKER_SIZE,
      height: MARKER_SIZE,
      fill: '#FFFFFF',
      stroke: colour,
      'stroke-width': 3,
    });
  }
  return '';
}

function legend(series: SpendSeries, box: Box): string {
  const entries: Array<{ name: SeriesName; label: string }> = [
    { name: 'current', label: SERIES_STYLES.current.legend },
  ];
  if (series.previous) entries.push({ name: 'previous', label: SERIES_STYLES.previous.legend });
  if (series.budget !== undefined) {
    entries.push({ name: 'budget', label: `${SERIES_STYLES.budget.legend} ${formatMoney(series.budget)}` });
  }
  const y = box.y + box.height - 14;
  let x = box.x;
  const items = entries.map(({ name, label }) => {
    const style = SERIES_STYLES[name];
    const item = element('g', { class: 'legend-item', 'data-series': name }, [
      element('line', {
        x1: x,
        x2: x + 48,
        y1: y - 8,
        y2: y - 8,
        stroke: style.colour,
        'stroke-width': style.width,
        'stroke-dasharray': style.dash,
        'stroke-linecap': name === 'budget' ? 'round' : undefined,
      }),
      marker(style.marker, x + 24, y - 8, style.colour, {}),
      text(label, { x: x + 58, y, fill: INK }),
    ]);
    x += 58 + approxTextWidth(label, TEXT_SIZE) + 28;
    return item;
  });
  return element('g', { class: 'legend' }, items);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

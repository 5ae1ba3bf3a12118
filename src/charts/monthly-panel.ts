/**
 * Monthly totals while the app's own history is short: one bar per invoiced month (Viam's invoice
 * totals, tax and credits included) and a hollow bar for this month's usage so far, which is neither
 * finished nor invoiced. The two kinds are drawn and labelled apart so they are never read as one series.
 */
import { formatMoney } from '../blocks/format';
import { invoicedMonthName } from '../trends/invoiced-months';
import { type Box, HEADING_SIZE, TEXT_SIZE } from './layout';
import { GRID, MUTED_INK, OKABE_ITO } from './palette';
import { formatMoneyTick, linear, moneyAxis } from './scale';
import type { SpendSeries } from './series';
import { element, text } from './svg-markup';

const LEFT_ROOM = 120;
const TOP_ROOM = 70;
/** Below the plot: month labels and the two-line note on what the bars are. */
const BOTTOM_ROOM = 130;
const INVOICED_COLOUR = OKABE_ITO.skyBlue;
const SO_FAR_COLOUR = OKABE_ITO.blue;

interface Bar {
  series: 'invoiced' | 'month-to-date';
  label: string;
  month: string;
  amount: number;
}

export function monthlyPanel(series: SpendSeries, box: Box): string {
  const soFarLabel = `${invoicedMonthName(series.periodStart).split(' ')[0]} so far`;
  const bars: Bar[] = [
    ...series.invoicedMonths.map((month) => ({
      series: 'invoiced' as const,
      label: invoicedMonthName(month.month).split(' ')[0] ?? '',
      month: month.month.toISOString().slice(0, 7),
      amount: month.amount,
    })),
    {
      series: 'month-to-date',
      label: soFarLabel,
      month: series.periodStart.toISOString().slice(0, 7),
      amount: series.subtotal,
    },
  ];
  const axis = moneyAxis(Math.max(0, ...bars.map((bar) => bar.amount)));
  const left = box.x + LEFT_ROOM;
  const right = box.x + box.width;
  const top = box.y + TOP_ROOM;
  const bottom = box.y + box.height - BOTTOM_ROOM;
  const y = linear(0, axis.max, bottom, top);
  const slot = (right - left) / bars.length;
  const barWidth = Math.min(90, slot * 0.6);

  const grid = axis.ticks.map((tick) =>
    element('g', { class: 'y-tick', 'data-value': tick }, [
      element('line', { x1: left, x2: right, y1: y(tick), y2: y(tick), stroke: tick === 0 ? MUTED_INK : GRID }),
      text(formatMoneyTick(tick, axis.step), {
        x: left - 12,
        y: y(tick) + TEXT_SIZE * 0.35,
        'text-anchor': 'end',
        fill: MUTED_INK,
      }),
    ]),
  );
  const columns = bars.map((bar, index) => {
    const centre = left + slot * (index + 0.5);
    const height = Math.max(2, bottom - y(bar.amount));
    const invoiced = bar.series === 'invoiced';
    return element('g', { class: 'month-bar' }, [
      element('rect', {
        class: 'bar',
        'data-series': bar.series,
        'data-month': bar.month,
        'data-value': bar.amount,
        x: centre - barWidth / 2,
        y: bottom - height,
        width: barWidth,
        height,
        fill: invoiced ? INVOICED_COLOUR : '#FFFFFF',
        stroke: invoiced ? INVOICED_COLOUR : SO_FAR_COLOUR,
        'stroke-width': invoiced ? 0 : 4,
        'stroke-dasharray': invoiced ? undefined : '10 6',
      }),
      text(formatMoney(bar.amount), {
        x: centre,
        y: bottom - height - 10,
        'text-anchor': 'middle',
        'font-weight': 'bold',
      }),
      text(bar.label, { x: centre, y: bottom + TEXT_SIZE + 10, 'text-anchor': 'middle', fill: MUTED_INK }),
    ]);
  });
  return element('g', { class: 'monthly-panel' }, [
    text('Monthly totals', { x: box.x, y: box.y + HEADING_SIZE, 'font-size': HEADING_SIZE, 'font-weight': 'bold' }),
    element('g', { class: 'y-axis' }, grid),
    ...columns,
    text('Filled: invoice totals from Viam (with tax and credits).', {
      x: box.x,
      y: box.y + box.height - 46,
      fill: MUTED_INK,
    }),
    text('Hollow: this month’s usage so far. Daily lines after a week.', {
      x: box.x,
      y: box.y + box.height - 14,
      fill: MUTED_INK,
    }),
  ]);
}

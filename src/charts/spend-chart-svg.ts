/**
 * The spend chart as an SVG document: title and summary line, category bars on the left, and on the
 * right cumulative spend lines from hourly snapshots, or monthly invoice totals while those are few. Pure: series in, markup out. Plotted values ride on the elements
 * (`data-value`, `data-day`, `data-series`, `data-category`) so the picture can be checked against
 * its numbers.
 */
import { formatMoney } from '../blocks/format';
import { invoicedMonthName } from '../trends/invoiced-months';
import { barPanel } from './bar-panel';
import { BAR_PANEL, FONT_FAMILY, HEIGHT, LINE_PANEL, TEXT_SIZE, TITLE_SIZE, WIDTH } from './layout';
import { linePanel } from './line-panel';
import { monthlyPanel } from './monthly-panel';
import { BACKGROUND, INK, MUTED_INK } from './palette';
import { previousByDay, type SpendSeries } from './series';
import { element, escapeXml, text } from './svg-markup';
import { chartTitle, describeSpendChart } from './words';

export function spendChartSvg(series: SpendSeries, orgLabel: string): string {
  const title = chartTitle(series, orgLabel);
  return element(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      width: WIDTH,
      height: HEIGHT,
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      role: 'img',
      'font-family': FONT_FAMILY,
      'font-size': TEXT_SIZE,
      fill: INK,
    },
    [
      element('title', {}, [escapeXml(title)]),
      element('desc', {}, [escapeXml(describeSpendChart(series, orgLabel))]),
      element('rect', { x: 0, y: 0, width: WIDTH, height: HEIGHT, fill: BACKGROUND }),
      text(title, { class: 'chart-title', x: 40, y: 56, 'font-size': TITLE_SIZE, 'font-weight': 'bold' }),
      text(headline(series), { class: 'chart-headline', x: 40, y: 96, fill: MUTED_INK }),
      barPanel(series.categories, BAR_PANEL),
      series.view === 'monthly' ? monthlyPanel(series, LINE_PANEL) : linePanel(series, LINE_PANEL),
    ],
  );
}

/** `Month to date $290.23 · day 26 of 30 · previous period $250.10 by day 26 · budget $500.00` */
function headline(series: SpendSeries): string {
  const parts = [`Month to date ${formatMoney(series.subtotal)}`, `day ${series.today} of ${series.days}`];
  const previous = previousByDay(series, series.today);
  if (previous !== undefined) parts.push(`previous period ${formatMoney(previous)} by day ${series.today}`);
  const lastInvoiced = series.view === 'monthly' ? series.invoicedMonths.at(-1) : undefined;
  if (lastInvoiced) parts.push(`${invoicedMonthName(lastInvoiced.month)} invoiced ${formatMoney(lastInvoiced.amount)}`);
  if (series.budget !== undefined) parts.push(`budget ${formatMoney(series.budget)}`);
  return parts.join(' · ');
}

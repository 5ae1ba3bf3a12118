/** Month-to-date spend by category as horizontal bars, each labelled with its amount. */
import { formatMoney } from '../blocks/format';
import { type Box, HEADING_SIZE, TEXT_SIZE } from './layout';
import { BAR_COLOUR, MUTED_INK } from './palette';
import { linear } from './scale';
import type { CategoryBar } from './series';
import { element, text } from './svg-markup';

const ROW_HEIGHT = 110;
const BAR_HEIGHT = 40;
/** Room right of the longest bar for its dollar label. */
const VALUE_ROOM = 160;

export function barPanel(bars: readonly CategoryBar[], box: Box): string {
  const heading = text('Spend by category', {
    x: box.x,
    y: box.y + HEADING_SIZE,
    'font-size': HEADING_SIZE,
    'font-weight': 'bold',
  });
  const top = box.y + HEADING_SIZE + 30;
  if (bars.length === 0) {
    return element('g', { class: 'bar-panel' }, [
      heading,
      text('No spend yet this period.', { x: box.x, y: top + TEXT_SIZE, fill: MUTED_INK }),
    ]);
  }
  const largest = Math.max(...bars.map((bar) => bar.amount));
  const length = linear(0, largest, 0, box.width - VALUE_ROOM);
  const rows = bars.map((bar, index) => {
    const rowTop = top + index * ROW_HEIGHT;
    const barTop = rowTop + TEXT_SIZE + 12;
    const width = Math.max(2, length(bar.amount));
    return element('g', { class: 'bar-row' }, [
      text(bar.label, { x: box.x, y: rowTop + TEXT_SIZE }),
      element('rect', {
        class: 'bar',
        'data-category': bar.category,
        'data-value': bar.amount,
        x: box.x,
        y: barTop,
        width,
        height: BAR_HEIGHT,
        fill: BAR_COLOUR,
      }),
      text(formatMoney(bar.amount), {
        x: box.x + width + 10,
        y: barTop + BAR_HEIGHT / 2 + TEXT_SIZE * 0.35,
        'font-weight': 'bold',
      }),
    ]);
  });
  return element('g', { class: 'bar-panel' }, [heading, ...rows]);
}

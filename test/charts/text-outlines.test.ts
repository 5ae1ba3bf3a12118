import { CHART_GLYPH_TABLE } from '../../src/charts/rasterize';
import { spendSeries } from '../../src/charts/series';
import { spendChartSvg } from '../../src/charts/spend-chart-svg';
import { element, text } from '../../src/charts/svg-markup';
import { TextOutliner } from '../../src/charts/text-outlines';
import { dailySnapshots, NOVEMBER, OCTOBER, usageReport } from './fixtures';
import { elements } from './svg-reader';

const outliner = new TextOutliner(CHART_GLYPH_TABLE);

function document(children: string[], fontSize = 22): string {
  return element(
    'svg',
    { xmlns: 'http://www.w3.org/2000/svg', width: 1200, height: 675, 'font-size': fontSize },
    children,
  );
}

/** The one path a single-label document outlines to, with its placement read back. */
function outlinedLabel(label: string, fontSize = 22) {
  const [path, ...others] = elements(outliner.outline(document([label], fontSize)), (e) => e.name === 'path');
  expect(others).toEqual([]);
  if (!path) throw new Error('no path');
  const placement = /translate\(([-\d.]+) ([-\d.]+)\) scale\(([-\d.e]+) ([-\d.e]+)\)$/.exec(path.attrs.transform ?? '');
  if (!placement) throw new Error(`unexpected transform ${path.attrs.transform}`);
  const [x, y, scaleX, scaleY] = placement.slice(1).map(Number) as [number, number, number, number];
  return { attrs: path.attrs, d: path.attrs.d ?? '', x, y, scaleX, scaleY };
}

describe('TextOutliner', () => {
  it('turns every label of a chart into a path and leaves the rest of the document as it was', () => {
    const usage = usageReport(NOVEMBER, { storage: 80.99, compute: 88.7, data_transfer: 34.19, other: 95.35 }, 290.23);
    const series = spendSeries({
      usage,
      history: [...dailySnapshots(OCTOBER, { 5: 40, 26: 250 }), ...dailySnapshots(NOVEMBER, { 3: 30, 20: 210 })],
      budget: 500,
      now: new Date('2026-11-26T15:00:00Z'),
      timeZone: 'UTC',
    });
    const svg = spendChartSvg(series, 'acme — “robots” & co');
    const outlined = outliner.outline(svg);

    const labels = elements(svg, (e) => e.name === 'text');
    expect(labels.length).toBeGreaterThan(20);
    expect(outlined).not.toContain('<text');
    expect(elements(outlined, (e) => e.name === 'path').length).toBe(
      elements(svg, (e) => e.name === 'path').length + labels.length,
    );
    const notText = (markup: string) =>
      elements(markup, (e) => !['text', 'path', 'title', 'desc'].includes(e.name)).map((e) => e.attrs);
    expect(notText(outlined)).toEqual(notText(svg));
    // Every character outside the paths is ASCII (see asciiOnly); the title still reads the same.
    expect(/[\u0080-\u{10FFFF}]/u.test(outlined)).toBe(false);
    expect(outlined).toContain(
      '<title>acme &#8212; &#8220;robots&#8221; &amp; co &#8212; spend, 1&#8211;26 Nov 2026</title>',
    );
  });

  it('places a label at its x and baseline, at the document’s font size unless the label sets one', () => {
    const plain = outlinedLabel(text('Spend', { x: 40, y: 96 }));
    expect([plain.x, plain.y]).toEqual([40, 96]);
    // DejaVu has 2,048 units to the em; the outline is in font units with y up.
    expect(plain.scaleX).toBeCloseTo(22 / 2048, 6);
    expect(plain.scaleY).toBeCloseTo(-22 / 2048, 6);
    expect(plain.d.startsWith('M')).toBe(true);

    const sized = outlinedLabel(text('Spend', { x: 40, y: 96, 'font-size': 32 }));
    expect(sized.scaleX).toBeCloseTo(32 / 2048, 6);
    expect(outlinedLabel(text('Spend', { x: 0, y: 0 }), 30).scaleX).toBeCloseTo(30 / 2048, 6);
    expect(sized.d).toBe(plain.d);
  });

  it('anchors a label at its start, middle or end by the run’s kerned width', () => {
    const label = 'AVA Total $1,234.50';
    const width = outliner.width(label, 22);
    expect(width).toBeGreaterThan(100);
    expect(outlinedLabel(text(label, { x: 500, y: 50 })).x).toBe(500);
    expect(outlinedLabel(text(label, { x: 500, y: 50, 'text-anchor': 'middle' })).x).toBeCloseTo(500 - width / 2, 1);
    expect(outlinedLabel(text(label, { x: 500, y: 50, 'text-anchor': 'end' })).x).toBeCloseTo(500 - width, 1);
  });

  it('kerns pairs as the font says and draws bold labels with the bold face', () => {
    expect(outliner.width('AV', 22)).toBeLessThan(outliner.width('A', 22) + outliner.width('V', 22));
    expect(outliner.width('Spend', 22, 'bold')).toBeGreaterThan(outliner.width('Spend', 22));
    const bold = outlinedLabel(text('Spend', { x: 0, y: 0, 'font-weight': 'bold' }));
    expect(bold.d).not.toBe(outlinedLabel(text('Spend', { x: 0, y: 0 })).d);
  });

  it('keeps how a label is painted and turned, and reads escaped characters as what they are', () => {
    const turned = outlinedLabel(
      text('Spend (USD)', { x: 60, y: 300, transform: 'rotate(-90 60 300)', fill: '#4D4D4D', class: 'axis' }),
    );
    expect(turned.attrs.fill).toBe('#4D4D4D');
    expect(turned.attrs.class).toBe('axis');
    expect(turned.attrs.transform?.startsWith('rotate(-90 60 300) translate(')).toBe(true);

    const escaped = outliner.outline(document(['<text x="0" y="0">a &amp; b &#8212; c</text>']));
    const plainText = outliner.outline(document([text('a & b — c', { x: 0, y: 0 })]));
    expect(escaped).toBe(plainText);
  });

  it('draws nothing for a blank label', () => {
    expect(outliner.outline(document([text('   ', { x: 0, y: 0 })]))).not.toContain('<path');
  });

  it('leaves a blank of the missing glyph’s width for a character the fonts lack, instead of failing', () => {
    expect(outliner.width('a漢b', 22)).toBeGreaterThan(outliner.width('ab', 22));
    const [, , second] = outlinedLabel(text('a漢b', { x: 0, y: 0 })).d.split('M');
    const [, , secondWithout] = outlinedLabel(text('ab', { x: 0, y: 0 })).d.split('M');
    // The `b` starts further along by the blank.
    expect(Number(second?.split(' ')[0])).toBeGreaterThan(Number(secondWithout?.split(' ')[0]));
  });
});

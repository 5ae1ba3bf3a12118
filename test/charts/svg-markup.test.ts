import { element, escapeXml, formatNumber, text } from '../../src/charts/svg-markup';

describe('svg markup', () => {
  it('escapes the five XML specials and drops characters XML cannot carry', () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;',
    );
    expect(escapeXml('bell\u0007 nul\u0000 tab\tok')).toBe('bell nul tab\tok');
  });

  it('escapes attribute values and text, and leaves out undefined attributes', () => {
    expect(element('rect', { x: 1.234, fill: '"red"', stroke: undefined })).toBe(
      '<rect x="1.23" fill="&quot;red&quot;"/>',
    );
    expect(text('a < b', { x: 0, y: 10 })).toBe('<text x="0" y="10">a &lt; b</text>');
    expect(text('', { x: 0 })).toBe('<text x="0"></text>');
  });

  it('writes numbers to two decimals', () => {
    expect(formatNumber(1 / 3)).toBe('0.33');
    expect(formatNumber(500)).toBe('500');
  });
});

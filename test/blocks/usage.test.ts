import type { UsageReport, UsageSource } from '../../src/billing/model';
import { formatMoney } from '../../src/blocks/format';
import { renderUsage } from '../../src/blocks/usage';
import {
  ctx,
  fragmentSource,
  LONG_NASTY,
  line,
  manyLinesReport,
  orgSource,
  usageReport,
  zeroUsageReport,
} from './fixtures';
import { blocksOfType, blockText, expectValid } from './helpers';

function sectionTexts(report: UsageReport): string[] {
  return blocksOfType(renderUsage(report, ctx), 'section').map(
    (block) => (block.text as { text: string } | undefined)?.text ?? '',
  );
}

describe('renderUsage', () => {
  it('breaks usage down by source, category and line', () => {
    const message = renderUsage(usageReport, ctx);
    expectValid(message);
    expect(message).toMatchSnapshot();

    const text = blockText(message);
    expect(text).toContain('Usage details · Acme Robotics');
    expect(text).toContain('*Storage* · $420.10\n• Binary data storage: $300.00\n• Tabular data storage: $120.10');
    expect(text).toContain('*Fragment tier: Fleet Pro*');
    expect(text).toContain('Before discount $152.00 · Discount -$12.00 · Total $140.00');
    expect(text).toContain('Total $771.60');
    expect(text).toContain('*Subtotal:* $911.60');
    expect(text.indexOf('*Organization usage*')).toBeLessThan(text.indexOf('*Fragment tier: Fleet Pro*'));
    expect(message.text).toBe(
      'Viam usage for Acme Robotics: $911.60 so far this billing period (Nov 1 – Nov 30, 2026 · day 26 of 30). ' +
        'Storage $452.10, Compute $265.50, Other $138.00, Data transfer $68.00.',
    );
  });

  it('hides zero lines', () => {
    const text = blockText(renderUsage(usageReport, ctx));
    expect(text).not.toContain('Logs storage');
    // Per machine is zero for the org but $120 in the fragment tier.
    expect(text.match(/Per machine/g)).toHaveLength(1);
  });

  it('lists the org first even when Viam sends it last', () => {
    const text = blockText(renderUsage({ ...usageReport, sources: [fragmentSource, orgSource] }, ctx));
    expect(text.indexOf('*Organization usage*')).toBeLessThan(text.indexOf('*Fragment tier: Fleet Pro*'));
  });

  it('says when there is no usage yet', () => {
    const message = renderUsage(zeroUsageReport, ctx);
    expectValid(message);
    const text = blockText(message);
    expect(text).toContain('No usage yet this month.');
    expect(text).not.toContain('Organization usage');
    expect(text).toContain('*Subtotal:* $0.00');
    expect(message.text).toContain('No usage yet this month.');
  });

  it('shows unknown cost types under Other with their generic label', () => {
    const source: UsageSource = {
      ...orgSource,
      lines: [
        line(6, 'binary_data_cloud_storage', 'Binary data storage', 'storage', 3),
        line(42, 'unknown_42', 'Other charges (type 42)', 'other', 7.25),
        line(99, 'unknown_99', '', 'other', 1),
      ],
    };
    const texts = sectionTexts({ ...usageReport, sources: [source] });
    const other = texts.find((text) => text.startsWith('*Other*'));
    expect(other).toBe('*Other* · $8.25\n• Other charges (type 42): $7.25\n• Other charges (type 99): $1.00');
  });

  it('cuts 300 lines to a readable list per category that still adds up', () => {
    const report = manyLinesReport(300);
    const message = renderUsage(report, ctx);
    expectValid(message);
    const categoryTexts = sectionTexts(report).filter((text) =>
      /^\*(Storage|Compute|Data transfer|Other)\*/.test(text),
    );
    expect(categoryTexts).toHaveLength(4);
    for (const text of categoryTexts) {
      const [title, ...rows] = text.split('\n');
      const bullets = rows.filter((row) => row.startsWith('• '));
      expect(bullets).toHaveLength(19);
      const more = /^…and (\d+) more lines totalling (\$[\d,.]+)$/.exec(rows.at(-1) ?? '');
      expect(more?.[1]).toBe('56');
      const shownSum = bullets.reduce((sum, row) => sum + Number(row.split('$')[1]?.replace(/,/g, '')), 0);
      const hiddenSum = Number(more?.[2]?.slice(1).replace(/,/g, ''));
      const categoryTotal = Number(/\$([\d,.]+)$/.exec(title ?? '')?.[1]?.replace(/,/g, ''));
      expect(shownSum + hiddenSum).toBeCloseTo(categoryTotal, 1);
    }
  });

  it('cuts many fragment tiers within 50 blocks and keeps the subtotal', () => {
    const tiers: UsageSource[] = Array.from({ length: 30 }, (_, index) => ({
      ...fragmentSource,
      tierName: `Tier ${index}`,
    }));
    const message = renderUsage({ ...usageReport, sources: [orgSource, ...tiers] }, ctx);
    expectValid(message);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    const text = blockText(message);
    const shownTiers = text.match(/\*Fragment tier: Tier \d+\*/g) ?? [];
    const more = /…and (\d+) more fragment tiers totalling (\$[\d,.]+)\./.exec(text);
    expect(shownTiers.length + Number(more?.[1])).toBe(30);
    expect(more?.[2]).toBe(formatMoney(140 * Number(more?.[1])));
    expect(text).toContain('*Subtotal:* $911.60');
  });

  it('escapes a very long tier name and label with markup characters', () => {
    const message = renderUsage(
      { ...usageReport, sources: [{ ...fragmentSource, tierName: LONG_NASTY }] },
      { ...ctx, orgLabel: LONG_NASTY },
    );
    expectValid(message);
    expect(blockText(message)).toContain('*Fragment tier: &lt;Acme &amp; Sons&gt; Very long name');
  });

  it('notes when Viam sent only the older summary fields', () => {
    const message = renderUsage({ ...usageReport, fromDeprecatedFields: true }, ctx);
    expectValid(message);
    expect(blockText(message)).toContain('charges are not split by tier');
  });

  it('leaves out the period when Viam sent no dates', () => {
    const message = renderUsage({ ...usageReport, periodStart: new Date(Number.NaN) }, ctx);
    expectValid(message);
    expect(blockText(message)).not.toContain('Billing period');
    expect(message.text).toContain('$911.60 so far this billing period.');
  });
});

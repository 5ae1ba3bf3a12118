import { linesByCategory, rankedCategories } from '../../src/blocks/totals';
import { line, usageReport, zeroUsageReport } from './fixtures';

describe('rankedCategories', () => {
  it('sums every source per category, biggest first', () => {
    expect(rankedCategories(usageReport).map(({ category, amount }) => [category, Number(amount.toFixed(2))])).toEqual([
      ['storage', 452.1],
      ['compute', 265.5],
      ['other', 138],
      ['data_transfer', 68],
    ]);
  });

  it('is empty when everything is zero', () => {
    expect(rankedCategories(zeroUsageReport)).toEqual([]);
  });
});

describe('linesByCategory', () => {
  it('drops zero lines, sorts lines biggest first and keeps labels', () => {
    const groups = linesByCategory([
      line(1, 'a', 'Small', 'storage', 1),
      line(2, 'b', 'Zero', 'storage', 0.001),
      line(3, 'c', 'Big', 'storage', 5),
    ]);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.label).toBe('Storage');
    expect(groups[0]?.lines.map((each) => each.label)).toEqual(['Big', 'Small']);
  });

  it('puts a line with a category this build does not know under Other', () => {
    const stray = { ...line(50, 'x', 'Future thing', 'storage', 2), category: 'quantum' as never };
    expect(linesByCategory([stray])[0]?.category).toBe('other');
  });
});

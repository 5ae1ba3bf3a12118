import type { CostLine, UsageCategory, UsageReport } from '../../src/billing/model';
import { categoryTotals, totalDiscount } from '../../src/billing/usage-totals';

function line(category: UsageCategory, amount: number): CostLine {
  return { costType: 0, key: 'k', label: 'L', category, amount };
}

const report: UsageReport = {
  orgId: '0b4a5a4e-2f1c-4f55-9d61-2d0f3c7c1a11',
  periodStart: new Date('2026-11-01T00:00:00Z'),
  periodEnd: new Date('2026-11-30T23:59:59.999Z'),
  subtotal: 0,
  fromDeprecatedFields: false,
  sources: [
    {
      kind: 'org',
      tierName: '',
      discount: 0.1,
      totalWithDiscount: 0,
      totalWithoutDiscount: 0,
      lines: [line('storage', 0.1), line('storage', 0.2), line('compute', 5), line('other', 0)],
    },
    {
      kind: 'fragment',
      tierName: 'Tier',
      discount: 0.2,
      totalWithDiscount: 0,
      totalWithoutDiscount: 0,
      lines: [line('storage', 1), line('data_transfer', 2.5), line('nonsense' as UsageCategory, 4)],
    },
  ],
};

describe('categoryTotals', () => {
  it('sums lines across sources per category, rounded to cents, with every category present', () => {
    expect(categoryTotals(report)).toEqual({ storage: 1.3, compute: 5, data_transfer: 2.5, other: 4 });
  });

  it('is all zeros for an empty report', () => {
    expect(categoryTotals({ ...report, sources: [] })).toEqual({ storage: 0, compute: 0, data_transfer: 0, other: 0 });
  });
});

describe('totalDiscount', () => {
  it('adds the discounts of every source', () => {
    expect(totalDiscount(report)).toBe(0.3);
  });
});

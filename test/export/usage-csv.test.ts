import { parse } from 'csv-parse/sync';
import type { UsageReport } from '../../src/billing/model';
import { USAGE_CSV_HEADER, usageCsv } from '../../src/export/usage-csv';
import { usageReport } from '../blocks/fixtures';

function rowsOf(csv: string): Record<string, string>[] {
  return parse(csv, { bom: true, columns: true });
}

describe('usageCsv', () => {
  it('has one row per source and cost line matching the report to the cent', () => {
    const csv = usageCsv('acme', usageReport);
    const rows = rowsOf(csv);
    const expected = usageReport.sources.flatMap((source) => source.lines.map((line) => ({ source, line })));
    expect(rows).toHaveLength(expected.length);
    expected.forEach(({ source, line }, index) => {
      const row = rows[index] as Record<string, string>;
      expect(row.source).toBe(source.kind);
      expect(row.tier_name).toBe(source.tierName);
      expect(row.cost_type).toBe(line.key);
      expect(row.category).toBe(line.category);
      expect(row.org).toBe('acme');
      expect(Math.round(Number(row.amount_usd) * 100)).toBe(Math.round(line.amount * 100));
    });
    const total = rows.reduce((sum, row) => sum + Math.round(Number(row.amount_usd) * 100), 0);
    const sourceTotal = usageReport.sources
      .flatMap((source) => source.lines)
      .reduce((sum, line) => sum + Math.round(line.amount * 100), 0);
    expect(total).toBe(sourceTotal);
  });

  it('starts with the header row and ISO period dates', () => {
    const csv = usageCsv('acme', usageReport);
    const [header, first] = parse(csv, { bom: true }) as string[][];
    expect(header).toEqual([...USAGE_CSV_HEADER]);
    expect(first?.[1]).toBe(usageReport.periodStart.toISOString().slice(0, 10));
    expect(first?.[2]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('quotes hostile labels and keeps formulas inert', () => {
    const report: UsageReport = {
      ...usageReport,
      sources: [
        {
          kind: 'fragment',
          tierName: '=cmd|"/c calc"!A1, "tier"',
          discount: 0,
          totalWithDiscount: 1,
          totalWithoutDiscount: 1,
          lines: [{ costType: 1, key: 'k', label: 'Line, with "quotes"\nand a break', category: 'other', amount: 1 }],
        },
      ],
    };
    const [row] = rowsOf(usageCsv('ops, "east"', report));
    expect(row?.org).toBe('ops, "east"');
    expect(row?.tier_name).toBe('\'=cmd|"/c calc"!A1, "tier"');
    expect(row?.cost_line).toBe('Line, with "quotes"\nand a break');
  });

  it('writes only the header for a month without usage', () => {
    const rows = rowsOf(usageCsv('acme', { ...usageReport, sources: [] }));
    expect(rows).toEqual([]);
  });
});

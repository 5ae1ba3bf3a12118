import type { UsageReport } from '../billing/model';
import { decimalCents, isoDate, textCell, toCsv } from './csv';

export const USAGE_CSV_HEADER = [
  'org',
  'period_start',
  'period_end',
  'source',
  'tier_name',
  'category',
  'cost_type',
  'cost_line',
  'amount_usd',
] as const;

/** One row per source × cost line of the month-to-date usage. */
export function usageCsv(orgLabel: string, usage: UsageReport): string {
  const rows = usage.sources.flatMap((source) =>
    source.lines.map((line) => [
      textCell(orgLabel),
      isoDate(usage.periodStart),
      isoDate(usage.periodEnd),
      source.kind,
      textCell(source.tierName),
      line.category,
      line.key,
      textCell(line.label),
      decimalCents(line.amount),
    ]),
  );
  return toCsv(USAGE_CSV_HEADER, rows);
}

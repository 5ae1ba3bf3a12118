/**
 * The CSV dialect of every export: RFC 4180 (CRLF line ends, fields quoted when they hold a comma,
 * quote or line break), a header row, and a UTF-8 byte-order mark so spreadsheet tools read non-ASCII
 * labels correctly instead of guessing a legacy code page.
 */
import { stringify } from 'csv-stringify/sync';

export type CsvCell = string | number | undefined;

const BOM = '\uFEFF';

/** A spreadsheet would run a text cell starting with one of these as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return (
    BOM +
    stringify([header as string[], ...rows.map((row) => row.map((cell) => cell ?? ''))], {
      record_delimiter: '\r\n',
      // csv-stringify only quotes the configured record delimiter; a lone \n in a label must be quoted too.
      quoted_match: /^\s|\s$|[\r\n]/,
    })
  );
}

/** Dollars as a plain decimal with two places (`1234.50`, `-3.00`), no symbol or separators. */
export function decimalCents(amount: number): string {
  return Number.isFinite(amount) ? (Math.round(amount * 100) / 100).toFixed(2) : '';
}

/** The calendar date in UTC, ISO 8601 (`2026-11-01`); empty when there is none. */
export function isoDate(date: Date | undefined): string {
  return date && Number.isFinite(date.getTime()) ? date.toISOString().slice(0, 10) : '';
}

/**
 * Free text from Viam or users (tier names, labels) goes through here: a leading `=`, `+`, `-` or `@`
 * gets an apostrophe so the cell stays text instead of becoming a formula (CSV injection).
 */
export function textCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

import { parse } from 'csv-parse/sync';
import { decimalCents, isoDate, textCell, toCsv } from '../../src/export/csv';

describe('toCsv', () => {
  it('writes RFC 4180: CRLF rows, quotes around commas, quotes and line breaks, doubled inner quotes', () => {
    const csv = toCsv(
      ['a', 'b'],
      [
        ['plain', 'with, comma'],
        ['say "hi"', 'two\nlines'],
      ],
    );
    expect(csv.startsWith('\uFEFFa,b\r\n')).toBe(true);
    expect(csv).toContain('"with, comma"');
    expect(csv).toContain('"say ""hi"""');
    expect(csv).toContain('"two\nlines"');
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(parse(csv, { bom: true })).toEqual([
      ['a', 'b'],
      ['plain', 'with, comma'],
      ['say "hi"', 'two\nlines'],
    ]);
  });

  it('writes an empty cell for a missing value and keeps edge spaces by quoting', () => {
    const csv = toCsv(['a', 'b', 'c'], [[undefined, ' padded ', 3]]);
    expect(parse(csv, { bom: true })[1]).toEqual(['', ' padded ', '3']);
  });
});

describe('cells', () => {
  it('writes amounts as plain decimals to the cent', () => {
    expect(decimalCents(1234.5)).toBe('1234.50');
    expect(decimalCents(0.1 + 0.2)).toBe('0.30');
    expect(decimalCents(-3)).toBe('-3.00');
    expect(decimalCents(1e7)).toBe('10000000.00');
    expect(decimalCents(Number.NaN)).toBe('');
  });

  it('writes UTC calendar dates, empty for none or invalid', () => {
    expect(isoDate(new Date('2026-11-01T00:00:00Z'))).toBe('2026-11-01');
    expect(isoDate(new Date('2026-11-30T23:59:59.999Z'))).toBe('2026-11-30');
    expect(isoDate(undefined)).toBe('');
    expect(isoDate(new Date(Number.NaN))).toBe('');
  });

  it('keeps text that looks like a formula as text', () => {
    expect(textCell('=HYPERLINK("http://x")')).toBe('\'=HYPERLINK("http://x")');
    expect(textCell('+1')).toBe("'+1");
    expect(textCell('@sum')).toBe("'@sum");
    expect(textCell('-x')).toBe("'-x");
    expect(textCell('Acme Robotics')).toBe('Acme Robotics');
  });
});

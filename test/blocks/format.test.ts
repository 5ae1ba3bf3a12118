import { tz } from '@date-fns/tz';
import { format } from 'date-fns';
import fc from 'fast-check';
import {
  escapeMrkdwn,
  formatDate,
  formatDateTime,
  formatDiscount,
  formatMoney,
  formatMonth,
  formatPercent,
  formatPeriod,
  formatYearMonth,
  inlineCode,
  maskKeyId,
  periodProgress,
  safeTimeZone,
  titleCase,
} from '../../src/blocks/format';

describe('formatMoney', () => {
  it('shows US dollars with two decimals and thousands separators', () => {
    expect(formatMoney(1234.5)).toBe('$1,234.50');
    expect(formatMoney(0)).toBe('$0.00');
    expect(formatMoney(0.125)).toBe('$0.13');
    expect(formatMoney(1_000_000)).toBe('$1,000,000.00');
  });

  it('puts the minus sign before the dollar sign and never shows -$0.00', () => {
    expect(formatMoney(-12)).toBe('-$12.00');
    expect(formatMoney(-0)).toBe('$0.00');
    expect(formatMoney(-0.001)).toBe('$0.00');
  });

  it('shows a dash for amounts that are not numbers', () => {
    expect(formatMoney(Number.NaN)).toBe('—');
    expect(formatMoney(Number.POSITIVE_INFINITY)).toBe('—');
  });

  it('shows discounts as deductions whatever their sign', () => {
    expect(formatDiscount(12)).toBe('-$12.00');
    expect(formatDiscount(-12)).toBe('-$12.00');
  });
});

describe('formatPercent', () => {
  it('rounds to whole percents and keeps tiny shares visible', () => {
    expect(formatPercent(0.456)).toBe('46%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(0.001)).toBe('<1%');
  });
});

describe('dates in a time zone', () => {
  // 03:30 UTC on Nov 1 is still Oct 31 in New York and already Nov 1 in Berlin.
  const justAfterUtcMidnight = new Date('2026-11-01T03:30:00Z');
  // 23:30 UTC on Oct 31 is already Nov 1 in Tokyo.
  const justBeforeUtcMidnight = new Date('2026-10-31T23:30:00Z');

  it('shows the calendar day of the reader’s zone', () => {
    expect(formatDate(justAfterUtcMidnight, 'America/New_York')).toBe('Oct 31, 2026');
    expect(formatDate(justAfterUtcMidnight, 'Europe/Berlin')).toBe('Nov 1, 2026');
    expect(formatDate(justBeforeUtcMidnight, 'UTC')).toBe('Oct 31, 2026');
    expect(formatDate(justBeforeUtcMidnight, 'Asia/Tokyo')).toBe('Nov 1, 2026');
  });

  it('names the zone with a time so a shared message is unambiguous', () => {
    expect(formatDateTime(justAfterUtcMidnight, 'America/New_York')).toBe('Oct 31, 2026 23:30 (America/New_York)');
    expect(formatDateTime(justAfterUtcMidnight, 'Europe/Berlin')).toBe('Nov 1, 2026 04:30 (Europe/Berlin)');
  });

  it('falls back to UTC for a zone the runtime does not know instead of throwing', () => {
    expect(safeTimeZone('Mars/Olympus_Mons')).toBe('UTC');
    expect(formatDate(justBeforeUtcMidnight, 'Mars/Olympus_Mons')).toBe('Oct 31, 2026');
  });

  it('shows a date-only value (exactly UTC midnight) as that day in every zone', () => {
    const invoiceDate = new Date('2026-10-31T00:00:00Z');
    expect(formatDate(invoiceDate, 'America/Los_Angeles')).toBe('Oct 31, 2026');
    expect(formatDate(invoiceDate, 'Asia/Tokyo')).toBe('Oct 31, 2026');
    // One millisecond later it is a moment again, read in the reader's zone.
    expect(formatDate(new Date(invoiceDate.getTime() + 1), 'America/Los_Angeles')).toBe('Oct 30, 2026');
  });

  it('says so for an invalid date', () => {
    expect(formatDate(new Date(Number.NaN), 'UTC')).toBe('unknown date');
  });
});

describe('formatPeriod', () => {
  const start = new Date('2026-11-01T00:00:00Z');
  const end = new Date('2026-12-01T00:00:00Z');

  it('shows a month of UTC midnights as its calendar days, in any reader zone', () => {
    expect(formatPeriod(start, end, 'UTC')).toBe('Nov 1 – Nov 30, 2026');
    expect(formatPeriod(start, end, 'America/Los_Angeles')).toBe('Nov 1 – Nov 30, 2026');
    expect(formatPeriod(start, end, 'Asia/Tokyo')).toBe('Nov 1 – Nov 30, 2026');
  });

  it('treats an end of 23:59:59 as the last day itself', () => {
    expect(formatPeriod(start, new Date('2026-11-30T23:59:59Z'), 'UTC')).toBe('Nov 1 – Nov 30, 2026');
  });

  it('reads boundaries that are not UTC midnights in the reader zone', () => {
    const nyStart = new Date('2026-11-01T04:00:00Z');
    const nyEnd = new Date('2026-12-01T05:00:00Z');
    expect(formatPeriod(nyStart, nyEnd, 'America/New_York')).toBe('Nov 1 – Nov 30, 2026');
  });

  it('names both years when the period crosses one', () => {
    expect(formatPeriod(new Date('2026-12-01T00:00:00Z'), new Date('2027-02-01T00:00:00Z'), 'UTC')).toBe(
      'Dec 1, 2026 – Jan 31, 2027',
    );
  });

  it('is undefined without usable dates', () => {
    expect(formatPeriod(new Date(0), new Date(0), 'UTC')).toBeUndefined();
    expect(formatPeriod(new Date(Number.NaN), end, 'UTC')).toBeUndefined();
    expect(formatPeriod(end, start, 'UTC')).toBeUndefined();
  });
});

describe('periodProgress', () => {
  const start = new Date('2026-11-01T00:00:00Z');
  const end = new Date('2026-12-01T00:00:00Z');

  it('counts calendar days from the start', () => {
    expect(periodProgress(start, end, new Date('2026-11-26T15:00:00Z'), 'UTC')).toEqual({ day: 26, of: 30 });
    expect(periodProgress(start, end, start, 'UTC')).toEqual({ day: 1, of: 30 });
    expect(periodProgress(start, end, new Date('2026-11-30T23:59:59Z'), 'UTC')).toEqual({ day: 30, of: 30 });
  });

  it('is undefined when now is outside the period', () => {
    expect(periodProgress(start, end, end, 'UTC')).toBeUndefined();
    expect(periodProgress(start, end, new Date('2026-10-31T23:59:59Z'), 'UTC')).toBeUndefined();
  });
});

describe('escapeMrkdwn', () => {
  it('escapes the three characters Slack treats as markup', () => {
    expect(escapeMrkdwn('<Acme & Sons> <@U123> <!channel>')).toBe(
      '&lt;Acme &amp; Sons&gt; &lt;@U123&gt; &lt;!channel&gt;',
    );
  });

  it('escapes an ampersand that already looks like an entity, so it shows as typed', () => {
    expect(escapeMrkdwn('&amp;')).toBe('&amp;amp;');
  });
});

describe('inlineCode', () => {
  it('escapes markup and replaces backticks that would end the code early', () => {
    expect(inlineCode('a`b <c>')).toBe("`a'b &lt;c&gt;`");
  });
});

describe('maskKeyId', () => {
  it('shows only the last four characters', () => {
    const keyId = '0f9e8d7c-6b5a-4321-9876-fedcba981a2b';
    expect(maskKeyId(keyId)).toBe('…1a2b');
    expect(maskKeyId(keyId)).not.toContain('0f9e');
  });

  it('never shows more than four characters of any ID', () => {
    for (const keyId of ['', 'ab', 'abcd', 'abcde', 'x'.repeat(500), '😀😀😀😀😀😀']) {
      const visible = Array.from(maskKeyId(keyId).replace(/^…/, ''));
      expect(visible.length).toBeLessThanOrEqual(4);
      expect(keyId.endsWith(visible.join(''))).toBe(true);
    }
  });
});

describe('titleCase', () => {
  it('turns machine words into title case', () => {
    expect(titleCase('partially_refunded')).toBe('Partially Refunded');
    expect(titleCase('VOID')).toBe('Void');
    expect(titleCase('')).toBe('');
  });
});

describe('formatDate and formatDateTime against date-fns', () => {
  it('reads the same day as zone-aware date-fns would, for any instant and zone', () => {
    const zones = [
      'UTC',
      'America/New_York',
      'Asia/Kolkata',
      'Pacific/Chatham',
      'Australia/Lord_Howe',
      'Pacific/Kiritimati',
    ];
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2090-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.constantFrom(...zones),
        (date, zone) => {
          const expectedZone = date.getTime() % 86_400_000 === 0 ? 'UTC' : zone;
          expect(formatDate(date, zone)).toBe(format(date, 'MMM d, yyyy', { in: tz(expectedZone) }));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('reads the same minute as zone-aware date-fns would, for any instant and zone', () => {
    const zones = ['UTC', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham', 'Europe/Berlin', 'Asia/Kathmandu'];
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2090-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.constantFrom(...zones),
        (date, zone) => {
          expect(formatDateTime(date, zone)).toBe(`${format(date, 'MMM d, yyyy HH:mm', { in: tz(zone) })} (${zone})`);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});

describe('formatMonth and formatYearMonth', () => {
  it('name the month an instant falls in, in UTC unless a zone is given', () => {
    const lateOnOctober31 = new Date('2026-11-01T03:00:00Z');
    expect(formatMonth(lateOnOctober31)).toBe('Nov 2026');
    expect(formatMonth(lateOnOctober31, 'long')).toBe('November 2026');
    expect(formatMonth(lateOnOctober31, 'short', 'America/New_York')).toBe('Oct 2026');
    expect(formatYearMonth(lateOnOctober31, 'UTC')).toBe('2026-11');
    expect(formatYearMonth(lateOnOctober31, 'America/New_York')).toBe('2026-10');
  });

  it('read an unknown zone as UTC instead of throwing', () => {
    expect(formatYearMonth(new Date('2026-11-01T03:00:00Z'), 'Mars/Olympus_Mons')).toBe('2026-11');
  });

  it('agree with zone-aware date-fns for any instant and zone', () => {
    const zones = ['UTC', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham', 'Pacific/Kiritimati'];
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2090-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.constantFrom(...zones),
        (date, zone) => {
          expect(formatMonth(date, 'short', zone)).toBe(format(date, 'MMM yyyy', { in: tz(zone) }));
          expect(formatMonth(date, 'long', zone)).toBe(format(date, 'MMMM yyyy', { in: tz(zone) }));
          expect(formatYearMonth(date, zone)).toBe(format(date, 'yyyy-MM', { in: tz(zone) }));
        },
      ),
      { numRuns: 1_000 },
    );
  });
});

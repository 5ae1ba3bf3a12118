import {
  latestDueOccurrence,
  nextOccurrence,
  occurrenceInWeekOf,
  resolveLocalTime,
} from '../../src/digest/occurrences';
import type { Weekday, WeeklyTime } from '../../src/digest/weekly-time';

const weekly = (weekday: Weekday, time: string, timeZone: string): WeeklyTime => ({ weekday, time, timeZone });
const at = (instant: string) => new Date(instant);
const iso = (schedule: WeeklyTime, instant: string) => occurrenceInWeekOf(schedule, at(instant)).at.toISOString();

describe('occurrenceInWeekOf', () => {
  it.each([
    ['Europe/Berlin', '2026-11-23T08:00:00.000Z'],
    ['America/Los_Angeles', '2026-11-23T17:00:00.000Z'],
    ['Asia/Kolkata', '2026-11-23T03:30:00.000Z'],
    ['Pacific/Auckland', '2026-11-22T20:00:00.000Z'],
  ])('Monday 09:00 in %s is %s in the week of Nov 26, 2026', (zone, expected) => {
    const occurrence = occurrenceInWeekOf(weekly('mon', '09:00', zone), at('2026-11-26T12:00:00Z'));
    expect(occurrence).toEqual({ id: '2026-W48', at: at(expected), localDate: '2026-11-23', shifted: false });
  });

  it('finds the week by the local date, not the UTC one', () => {
    // Sunday Nov 29, 23:00 UTC is already Monday Nov 30 in Auckland: a new week there.
    const schedule = weekly('mon', '09:00', 'Pacific/Auckland');
    expect(occurrenceInWeekOf(schedule, at('2026-11-29T23:00:00Z')).id).toBe('2026-W49');
    expect(occurrenceInWeekOf(weekly('mon', '09:00', 'Europe/Berlin'), at('2026-11-29T22:00:00Z')).id).toBe('2026-W48');
  });

  it('names weeks by ISO week-year around New Year', () => {
    const monday = weekly('mon', '09:00', 'UTC');
    const sunday = weekly('sun', '09:00', 'UTC');
    expect(occurrenceInWeekOf(monday, at('2026-12-30T00:00:00Z')).id).toBe('2026-W53');
    expect(occurrenceInWeekOf(sunday, at('2026-12-30T00:00:00Z'))).toMatchObject({
      id: '2026-W53',
      localDate: '2027-01-03',
    });
    expect(occurrenceInWeekOf(monday, at('2027-01-05T00:00:00Z')).id).toBe('2027-W01');
  });

  describe('keeps the local time across DST', () => {
    it.each([
      // EU 2026: spring forward Mar 29, fall back Oct 25.
      ['Europe/Berlin', '2026-03-25T12:00:00Z', '2026-03-23T08:00:00.000Z'],
      ['Europe/Berlin', '2026-04-01T12:00:00Z', '2026-03-30T07:00:00.000Z'],
      ['Europe/Berlin', '2026-10-21T12:00:00Z', '2026-10-19T07:00:00.000Z'],
      ['Europe/Berlin', '2026-10-28T12:00:00Z', '2026-10-26T08:00:00.000Z'],
      // EU 2027: Mar 28 and Oct 31.
      ['Europe/Berlin', '2027-03-24T12:00:00Z', '2027-03-22T08:00:00.000Z'],
      ['Europe/Berlin', '2027-03-31T12:00:00Z', '2027-03-29T07:00:00.000Z'],
      ['Europe/Berlin', '2027-10-27T12:00:00Z', '2027-10-25T07:00:00.000Z'],
      ['Europe/Berlin', '2027-11-03T12:00:00Z', '2027-11-01T08:00:00.000Z'],
      // US 2026: Mar 8 and Nov 1.
      ['America/Los_Angeles', '2026-03-04T12:00:00Z', '2026-03-02T17:00:00.000Z'],
      ['America/Los_Angeles', '2026-03-11T12:00:00Z', '2026-03-09T16:00:00.000Z'],
      ['America/Los_Angeles', '2026-10-28T12:00:00Z', '2026-10-26T16:00:00.000Z'],
      ['America/Los_Angeles', '2026-11-04T12:00:00Z', '2026-11-02T17:00:00.000Z'],
      // US 2027: Mar 14 and Nov 7.
      ['America/Los_Angeles', '2027-03-10T12:00:00Z', '2027-03-08T17:00:00.000Z'],
      ['America/Los_Angeles', '2027-03-17T12:00:00Z', '2027-03-15T16:00:00.000Z'],
      ['America/Los_Angeles', '2027-11-03T12:00:00Z', '2027-11-01T16:00:00.000Z'],
      ['America/Los_Angeles', '2027-11-10T12:00:00Z', '2027-11-08T17:00:00.000Z'],
    ])('Monday 09:00 in %s, week of %s, is %s', (zone, instant, expected) => {
      expect(iso(weekly('mon', '09:00', zone), instant)).toBe(expected);
    });
  });

  describe('a time that does not exist runs at the next valid minute', () => {
    it.each([
      ['Europe/Berlin', '2026-03-27T12:00:00Z', '2026-03-29T01:00:00.000Z'],
      ['Europe/Berlin', '2027-03-26T12:00:00Z', '2027-03-28T01:00:00.000Z'],
      ['America/New_York', '2026-03-06T12:00:00Z', '2026-03-08T07:00:00.000Z'],
      ['America/Los_Angeles', '2027-03-12T12:00:00Z', '2027-03-14T10:00:00.000Z'],
    ])('Sunday 02:30 in %s on spring-forward (week of %s) runs at 03:00 local, %s', (zone, instant, expected) => {
      const occurrence = occurrenceInWeekOf(weekly('sun', '02:30', zone), at(instant));
      expect(occurrence.at.toISOString()).toBe(expected);
      expect(occurrence.shifted).toBe(true);
    });

    it('also across a half-hour change (Lord Howe Island: 02:00 -> 02:30)', () => {
      const occurrence = occurrenceInWeekOf(weekly('sun', '02:15', 'Australia/Lord_Howe'), at('2026-10-01T00:00:00Z'));
      expect(occurrence).toMatchObject({ localDate: '2026-10-04', shifted: true });
      // 02:30 local, UTC+11, is 15:30 UTC the day before.
      expect(occurrence.at.toISOString()).toBe('2026-10-03T15:30:00.000Z');
    });

    it('the week after, 02:30 is 02:30 again', () => {
      const occurrence = occurrenceInWeekOf(weekly('sun', '02:30', 'Europe/Berlin'), at('2026-04-02T12:00:00Z'));
      expect(occurrence).toMatchObject({ at: at('2026-04-05T00:30:00Z'), shifted: false });
    });
  });

  describe('a time that happens twice runs at the first', () => {
    it.each([
      ['Europe/Berlin', 'sun', '02:30', '2026-10-22T12:00:00Z', '2026-10-25T00:30:00.000Z'],
      ['Europe/Berlin', 'sun', '02:30', '2027-10-28T12:00:00Z', '2027-10-31T00:30:00.000Z'],
      ['America/Los_Angeles', 'sun', '01:30', '2026-10-29T12:00:00Z', '2026-11-01T08:30:00.000Z'],
      ['America/Los_Angeles', 'sun', '01:30', '2027-11-04T12:00:00Z', '2027-11-07T08:30:00.000Z'],
    ] as const)('%s %s %s in the week of %s is %s', (zone, day, time, instant, expected) => {
      const occurrence = occurrenceInWeekOf(weekly(day, time, zone), at(instant));
      expect(occurrence.at.toISOString()).toBe(expected);
      expect(occurrence.shifted).toBe(false);
    });
  });
});

describe('resolveLocalTime', () => {
  it('is the plain conversion on an ordinary day', () => {
    expect(resolveLocalTime({ year: 2026, month: 5, day: 15 }, 9, 0, 'Asia/Kolkata')).toEqual({
      at: at('2026-06-15T03:30:00Z'),
      shifted: false,
    });
  });
});

describe('nextOccurrence and latestDueOccurrence', () => {
  const berlin = weekly('mon', '09:00', 'Europe/Berlin');
  const due = '2026-11-23T08:00:00.000Z';

  it('the occurrence is due at its instant exactly, not a millisecond before', () => {
    expect(latestDueOccurrence(berlin, at(due)).at.toISOString()).toBe(due);
    expect(latestDueOccurrence(berlin, at('2026-11-23T07:59:59.999Z')).at.toISOString()).toBe(
      '2026-11-16T08:00:00.000Z',
    );
  });

  it('the next run is strictly after now', () => {
    expect(nextOccurrence(berlin, at('2026-11-23T07:59:59.999Z')).at.toISOString()).toBe(due);
    expect(nextOccurrence(berlin, at(due))).toMatchObject({ id: '2026-W49', at: at('2026-11-30T08:00:00Z') });
  });

  it('the next run after a spring-forward week keeps local time', () => {
    const sunday = weekly('sun', '02:30', 'Europe/Berlin');
    const shifted = nextOccurrence(sunday, at('2026-03-23T00:00:00Z'));
    expect(shifted).toMatchObject({ at: at('2026-03-29T01:00:00Z'), shifted: true });
    expect(nextOccurrence(sunday, shifted.at).at.toISOString()).toBe('2026-04-05T00:30:00.000Z');
  });
});

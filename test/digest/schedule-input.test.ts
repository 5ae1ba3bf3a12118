import { parseScheduleWords, SCHEDULE_EXAMPLE } from '../../src/digest/schedule-input';

const parse = (text: string, zone = 'America/New_York') => parseScheduleWords(text.split(' ').filter(Boolean), zone);

function value(text: string, zone?: string) {
  const result = parse(text, zone);
  if (!result.ok) throw new Error(`expected "${text}" to parse: ${result.problem}`);
  return result.value;
}

function problem(text: string): string {
  const result = parse(text);
  if (result.ok) throw new Error(`expected "${text}" to be refused`);
  return result.problem;
}

describe('parseScheduleWords', () => {
  it('defaults to Monday 09:00 in the caller’s zone', () => {
    expect(value('')).toEqual({ weekday: 'mon', time: '09:00', timeZone: 'America/New_York' });
  });

  it('reads day, time and zone in any order', () => {
    const expected = { weekday: 'fri', time: '17:30', timeZone: 'Europe/Berlin' };
    expect(value('fri 17:30 Europe/Berlin')).toEqual(expected);
    expect(value('Europe/Berlin 17:30 friday')).toEqual(expected);
    expect(value('17:30 Europe/Berlin Fri')).toEqual(expected);
  });

  it('fills in whatever is left out', () => {
    expect(value('wednesday')).toEqual({ weekday: 'wed', time: '09:00', timeZone: 'America/New_York' });
    expect(value('7:05')).toEqual({ weekday: 'mon', time: '07:05', timeZone: 'America/New_York' });
    expect(value('Asia/Kolkata')).toEqual({ weekday: 'mon', time: '09:00', timeZone: 'Asia/Kolkata' });
  });

  it.each([
    ['mon', 'mon'],
    ['Monday', 'mon'],
    ['MONDAYS', 'mon'],
    ['tues', 'tue'],
    ['Thurs', 'thu'],
    ['thu.', 'thu'],
    ['sat', 'sat'],
    ['sunday', 'sun'],
  ])('reads the day %s', (word, weekday) => {
    expect(value(word).weekday).toBe(weekday);
  });

  it.each([
    ['09:00', '09:00'],
    ['9:00', '09:00'],
    ['23:59', '23:59'],
    ['0:00', '00:00'],
    ['9am', '09:00'],
    ['12am', '00:00'],
    ['12pm', '12:00'],
    ['5:30pm', '17:30'],
    ['5:30PM', '17:30'],
    ['noon', '12:00'],
    ['midnight', '00:00'],
  ])('reads the time %s', (word, time) => {
    expect(value(word).time).toBe(time);
  });

  it('reads "9 am" typed with a space as one time', () => {
    expect(value('tue 9 am UTC')).toEqual({ weekday: 'tue', time: '09:00', timeZone: 'UTC' });
  });

  it('canonicalises zone names and accepts any case', () => {
    expect(value('europe/berlin').timeZone).toBe('Europe/Berlin');
    expect(value('utc').timeZone).toBe('UTC');
    expect(value('US/Pacific').timeZone).toBe('US/Pacific');
    expect(value('Asia/Kolkata').timeZone).toBe('Asia/Kolkata');
    expect(value('us/pacific').timeZone).toBe('America/Los_Angeles');
    expect(value('Etc/UTC').timeZone).toBe('UTC');
  });

  it('falls back to UTC when the caller’s zone is unknown', () => {
    expect(value('mon', 'Mars/Olympus_Mons').timeZone).toBe('UTC');
  });

  it.each(['25:00', '9:75', '13pm', '0am', '930', '9.30'])('refuses the time %s with an example', (word) => {
    const text = problem(`mon ${word}`);
    expect(text).toContain(`\`${word}\` is not a time of day`);
    expect(text).toContain(SCHEDULE_EXAMPLE);
  });

  it.each(['mnday', 'fridya', 'thrusday', 'wedn'])('refuses the misspelt day %s with an example', (word) => {
    const text = problem(`${word} 09:00`);
    expect(text).toContain(`\`${word}\` is not a day of the week`);
    expect(text).toContain(SCHEDULE_EXAMPLE);
  });

  it.each(['Europe/Berln', 'Berlin', 'PST8', 'UTC+2', '+01:00'])('refuses the zone %s with an example', (word) => {
    const text = problem(`mon 09:00 ${word}`);
    expect(text).toMatch(/is not a time zone I know|I could not read/);
    expect(text).toContain(SCHEDULE_EXAMPLE);
  });

  it('refuses two of the same kind instead of guessing', () => {
    expect(problem('mon fri')).toBe(`Give one day, not two (\`mon\` and \`fri\`), e.g. ${SCHEDULE_EXAMPLE}.`);
    expect(problem('09:00 10:00')).toContain('Give one time, not two');
    expect(problem('UTC Europe/Berlin')).toContain('Give one time zone, not two');
  });

  it('keeps echoed input short and harmless in Slack', () => {
    const text = problem(`<!channel>&${'x'.repeat(100)}`);
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('&');
    expect(text.length).toBeLessThan(300);
  });

  it('says something useful about words it cannot place', () => {
    expect(problem('mon @@@')).toBe(
      `I could not read \`@@@\`. Give a day, a time and a time zone, each optional, e.g. ${SCHEDULE_EXAMPLE}.`,
    );
  });
});

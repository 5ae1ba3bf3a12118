/**
 * The words after `digest #channel`: `[day] [HH:MM] [time zone]`, each optional and in any order.
 * Pure; every problem is one sentence with an example the user can copy.
 */
import { canonicalTimeZone, formatClockTime, type Weekday, type WeeklyTime } from './weekly-time';

export type ScheduleWordsResult = { ok: true; value: WeeklyTime } | { ok: false; problem: string };

export const SCHEDULE_EXAMPLE = '`/viam-usage digest #billing mon 09:00 Europe/Berlin`';

export const DEFAULT_WEEKDAY: Weekday = 'mon';
export const DEFAULT_TIME = '09:00';

const DAY_WORDS: Readonly<Record<string, Weekday>> = {
  mon: 'mon',
  monday: 'mon',
  tue: 'tue',
  tues: 'tue',
  tuesday: 'tue',
  wed: 'wed',
  weds: 'wed',
  wednesday: 'wed',
  thu: 'thu',
  thur: 'thu',
  thurs: 'thu',
  thursday: 'thu',
  fri: 'fri',
  friday: 'fri',
  sat: 'sat',
  saturday: 'sat',
  sun: 'sun',
  sunday: 'sun',
};

const FULL_DAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** `monday`, `Mon.`, `mondays` all name Monday. */
function readDay(word: string): Weekday | undefined {
  const plain = word.toLowerCase().replace(/\.$/, '');
  return DAY_WORDS[plain] ?? (plain.endsWith('s') ? DAY_WORDS[plain.slice(0, -1)] : undefined);
}

type TimeReading = { time: string } | { problem: string } | undefined;

const H24 = /^(\d{1,2}):(\d{2})$/;
const H12 = /^(\d{1,2})(?::(\d{2}))?(am|pm|a\.m\.|p\.m\.)$/i;

/** `09:00`, `9:00`, `9am`, `5:30pm`, `noon`, `midnight`; undefined when the word is not trying to be a time. */
function readTime(word: string): TimeReading {
  const lower = word.toLowerCase();
  if (lower === 'noon') return { time: '12:00' };
  if (lower === 'midnight') return { time: '00:00' };
  const h24 = H24.exec(word);
  if (h24) {
    const hours = Number(h24[1]);
    const minutes = Number(h24[2]);
    if (hours > 23 || minutes > 59) return { problem: timeProblem(word) };
    return { time: formatClockTime(hours, minutes) };
  }
  const h12 = H12.exec(word);
  if (h12) {
    const hours = Number(h12[1]);
    const minutes = h12[2] === undefined ? 0 : Number(h12[2]);
    if (hours < 1 || hours > 12 || minutes > 59) return { problem: timeProblem(word) };
    const pm = (h12[3] as string).toLowerCase().startsWith('p');
    return { time: formatClockTime((hours % 12) + (pm ? 12 : 0), minutes) };
  }
  // Digits with a colon, or a number with am/pm glued wrong, are failed attempts at a time.
  if (/^\d/.test(word) && /[:.]|am$|pm$|h$/i.test(word)) return { problem: timeProblem(word) };
  if (/^\d{1,4}$/.test(word)) return { problem: timeProblem(word) };
  return undefined;
}

function timeProblem(word: string): string {
  return `${quote(word)} is not a time of day. Use 24-hour HH:MM such as \`09:00\` or \`17:30\` (or \`9am\`), e.g. ${SCHEDULE_EXAMPLE}.`;
}

function quote(word: string): string {
  // Echoed into Slack: keep it short and free of characters that change a code span's meaning.
  const shown = Array.from(word.replace(/[`<>&]/g, ''))
    .slice(0, 40)
    .join('');
  return `\`${shown}\``;
}

/** Levenshtein distance, small inputs only. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = saved;
    }
  }
  return row[b.length] as number;
}

function looksLikeDay(word: string): boolean {
  const plain = word.toLowerCase();
  if (!/^[a-z]{2,10}$/.test(plain)) return false;
  return FULL_DAY_NAMES.some(
    (name) => distance(plain, name) <= 2 || (plain.length >= 3 && distance(plain, name.slice(0, plain.length)) <= 1),
  );
}

function dayProblem(word: string): string {
  return `${quote(word)} is not a day of the week. Use a day name such as \`mon\` or \`friday\`, e.g. ${SCHEDULE_EXAMPLE}.`;
}

function zoneProblem(word: string): string {
  return `${quote(word)} is not a time zone I know. Use an IANA name such as \`Europe/Berlin\`, \`America/New_York\` or \`UTC\`, e.g. ${SCHEDULE_EXAMPLE}.`;
}

function twiceProblem(what: string, first: string, second: string): string {
  return `Give one ${what}, not two (${quote(first)} and ${quote(second)}), e.g. ${SCHEDULE_EXAMPLE}.`;
}

/** `9` `am` typed with a space reads as one word. */
function joinMeridiem(words: readonly string[]): string[] {
  const joined: string[] = [];
  for (const word of words) {
    const previous = joined[joined.length - 1];
    if (previous !== undefined && /^(am|pm|a\.m\.|p\.m\.)$/i.test(word) && /^\d{1,2}(:\d{2})?$/.test(previous)) {
      joined[joined.length - 1] = `${previous}${word}`;
    } else {
      joined.push(word);
    }
  }
  return joined;
}

/**
 * Reads `[day] [HH:MM] [time zone]` in any order. Missing parts default to Monday, 09:00 and
 * `defaultZone` (the user's zone from users.info; UTC when that is not a zone the runtime knows).
 */
export function parseScheduleWords(words: readonly string[], defaultZone: string): ScheduleWordsResult {
  let weekday: { value: Weekday; word: string } | undefined;
  let time: { value: string; word: string } | undefined;
  let zone: { value: string; word: string } | undefined;

  for (const word of joinMeridiem(words.map((raw) => raw.trim()).filter((raw) => raw !== ''))) {
    const day = readDay(word);
    if (day !== undefined) {
      if (weekday) return { ok: false, problem: twiceProblem('day', weekday.word, word) };
      weekday = { value: day, word };
      continue;
    }
    const clock = readTime(word);
    if (clock !== undefined) {
      if ('problem' in clock) return { ok: false, problem: clock.problem };
      if (time) return { ok: false, problem: twiceProblem('time', time.word, word) };
      time = { value: clock.time, word };
      continue;
    }
    const canonical = canonicalTimeZone(word);
    if (canonical !== undefined) {
      if (zone) return { ok: false, problem: twiceProblem('time zone', zone.word, word) };
      zone = { value: canonical, word };
      continue;
    }
    if (looksLikeDay(word)) return { ok: false, problem: dayProblem(word) };
    if (word.includes('/') || /^[A-Za-z_]+$/.test(word) || /^(utc|gmt)[+-]/i.test(word)) {
      return { ok: false, problem: zoneProblem(word) };
    }
    return {
      ok: false,
      problem: `I could not read ${quote(word)}. Give a day, a time and a time zone, each optional, e.g. ${SCHEDULE_EXAMPLE}.`,
    };
  }

  return {
    ok: true,
    value: {
      weekday: weekday?.value ?? DEFAULT_WEEKDAY,
      time: time?.value ?? DEFAULT_TIME,
      timeZone: zone?.value ?? canonicalTimeZone(defaultZone) ?? 'UTC',
    },
  };
}

/**
 * Turns the text after `/viam-usage` into a typed command. Pure: no Slack, no store. The manifest
 * sets `should_escape: true`, so mentions arrive as `<@U123|name>` and channels as `<#C123|name>`.
 */

export interface CommandOptions {
  /** `--org <label>`: which connected org to use when several are connected. */
  org?: string;
  /** `share` as the last word: post the answer in the channel instead of only to the caller. */
  share: boolean;
}

export type ParsedCommand = CommandOptions &
  (
    | { kind: 'overview' }
    | { kind: 'usage' }
    | { kind: 'invoices'; all: boolean }
    | { kind: 'invoice'; invoiceId: string }
    | { kind: 'billing' }
    | { kind: 'connect' }
    | { kind: 'disconnect'; label?: string }
    | { kind: 'orgs' }
    | { kind: 'access'; action: 'list' }
    | { kind: 'access'; action: 'add' | 'remove'; userId: string }
    | { kind: 'digest'; action: 'set'; channelId: string; scheduleWords: string[] }
    | { kind: 'digest'; action: 'list' }
    | { kind: 'digest'; action: 'off'; channelId: string }
    | { kind: 'digest'; action: 'now'; channelId?: string }
    | { kind: 'budget'; action: 'show' | 'off' }
    | { kind: 'budget'; action: 'set'; amount: number; channelId?: string }
    | { kind: 'chart' }
    | { kind: 'compare' }
    | { kind: 'anomalies'; enabled?: boolean; minDailyUsd?: number; minIncreasePct?: number }
    | { kind: 'export'; what: 'usage' | 'invoices' }
    | { kind: 'reset' }
    | { kind: 'audit' }
    | { kind: 'help' }
    | { kind: 'unknown'; input: string; suggestion?: string }
    | { kind: 'invalid'; problem: string }
  );

export const SUBCOMMANDS = [
  'usage',
  'invoices',
  'invoice',
  'billing',
  'connect',
  'disconnect',
  'orgs',
  'access',
  'digest',
  'budget',
  'chart',
  'compare',
  'anomalies',
  'reset',
  'audit',
  'help',
] as const;

type Options = CommandOptions;

export function parseCommand(text: string): ParsedCommand {
  const tokenized = tokenize(text);
  if (typeof tokenized === 'string') return { kind: 'invalid', problem: tokenized, share: false };
  const words = tokenized;

  const options: Options = { share: false };
  if (words.length > 0 && words[words.length - 1]?.toLowerCase() === 'share') {
    options.share = true;
    words.pop();
  }
  const orgIndex = words.findIndex((word) => word === '--org' || word.startsWith('--org='));
  if (orgIndex >= 0) {
    const word = words[orgIndex] as string;
    const inline = word.startsWith('--org=') ? word.slice('--org='.length) : undefined;
    const label = inline ?? words[orgIndex + 1];
    if (!label) return { kind: 'invalid', problem: '`--org` needs an org label, e.g. `--org acme`.', ...options };
    options.org = label;
    words.splice(orgIndex, inline === undefined ? 2 : 1);
  }

  const [head, ...rest] = words;
  if (head === undefined) return { kind: 'overview', ...options };
  const sub = head.toLowerCase();
  switch (sub) {
    case 'usage':
      if (rest.length === 1 && rest[0]?.toLowerCase() === 'csv') return { kind: 'export', what: 'usage', ...options };
      return rest.length === 0 ? { kind: 'usage', ...options } : extraWords(sub, rest, options);
    case 'billing':
    case 'connect':
    case 'orgs':
    case 'chart':
    case 'compare':
    case 'reset':
    case 'audit':
    case 'help':
      return rest.length === 0 ? { kind: sub, ...options } : extraWords(sub, rest, options);
    case 'invoices':
      if (rest.length === 0) return { kind: 'invoices', all: false, ...options };
      if (rest.length === 1 && rest[0] === '--all') return { kind: 'invoices', all: true, ...options };
      if (rest.length === 1 && rest[0]?.toLowerCase() === 'csv')
        return { kind: 'export', what: 'invoices', ...options };
      return extraWords(sub, rest, options);
    case 'invoice':
      if (rest.length !== 1) {
        return {
          kind: 'invalid',
          problem: 'Say which invoice, e.g. `/viam-usage invoice in_1Q2w3E4r5T6y`; `/viam-usage invoices` lists them.',
          ...options,
        };
      }
      return { kind: 'invoice', invoiceId: rest[0] as string, ...options };
    case 'disconnect':
      if (rest.length > 1) return extraWords(sub, rest, options);
      return { kind: 'disconnect', label: rest[0], ...options };
    case 'access':
      return parseAccess(rest, options);
    case 'digest':
      return parseDigest(rest, options);
    case 'budget':
      return parseBudget(rest, options);
    case 'anomalies':
      return parseAnomalies(rest, options);
    default:
      return { kind: 'unknown', input: head, suggestion: closestSubcommand(sub), ...options };
  }
}

function parseAccess(rest: string[], options: Options): ParsedCommand {
  const [action, target, ...extra] = rest;
  if (action === undefined || action === 'list') {
    return target === undefined
      ? { kind: 'access', action: 'list', ...options }
      : extraWords('access list', [target], options);
  }
  if ((action === 'add' || action === 'remove') && target !== undefined && extra.length === 0) {
    const userId = parseUserMention(target);
    if (userId) return { kind: 'access', action, userId, ...options };
    return { kind: 'invalid', problem: `Mention the person, e.g. \`/viam-usage access ${action} @jane\`.`, ...options };
  }
  return {
    kind: 'invalid',
    problem: 'Use `/viam-usage access add @user`, `access remove @user` or `access list`.',
    ...options,
  };
}

const DIGEST_EXAMPLE = '`/viam-usage digest #billing mon 09:00 Europe/Berlin`';

function parseDigest(rest: string[], options: Options): ParsedCommand {
  const [first, ...more] = rest;
  if (first === undefined) {
    return { kind: 'invalid', problem: `Name a channel for the weekly digest, e.g. ${DIGEST_EXAMPLE}.`, ...options };
  }
  const action = first.toLowerCase();
  if (action === 'list') {
    return more.length === 0
      ? { kind: 'digest', action: 'list', ...options }
      : extraWords('digest list', more, options);
  }
  if (action === 'off' || action === 'now') {
    const [channel, ...extra] = more;
    if (extra.length > 0) return extraWords(`digest ${action}`, extra, options);
    if (channel === undefined) {
      return action === 'now'
        ? { kind: 'digest', action: 'now', ...options }
        : { kind: 'invalid', problem: 'Say which channel, e.g. `/viam-usage digest off #billing`.', ...options };
    }
    const channelId = parseChannelMention(channel);
    if (!channelId) return notAChannel(channel, options);
    return { kind: 'digest', action, channelId, ...options };
  }
  const channelId = parseChannelMention(first);
  if (!channelId) return notAChannel(first, options);
  return { kind: 'digest', action: 'set', channelId, scheduleWords: more, ...options };
}

const BUDGET_EXAMPLE = '`/viam-usage budget 1500 #billing`';

function parseBudget(rest: string[], options: Options): ParsedCommand {
  const [first, ...more] = rest;
  if (first === undefined) return { kind: 'budget', action: 'show', ...options };
  const word = first.toLowerCase();
  if (word === 'off' || word === 'show') {
    return more.length === 0
      ? { kind: 'budget', action: word, ...options }
      : extraWords(`budget ${word}`, more, options);
  }
  const amount = parseAmount(first);
  if (amount === undefined) {
    return {
      kind: 'invalid',
      problem: `\`${first}\` is not an amount. Give the monthly budget in US dollars, e.g. ${BUDGET_EXAMPLE}.`,
      ...options,
    };
  }
  const [channel, ...extra] = more;
  if (extra.length > 0) return extraWords('budget', extra, options);
  if (channel === undefined) return { kind: 'budget', action: 'set', amount, ...options };
  const channelId = parseChannelMention(channel);
  if (!channelId) {
    return {
      kind: 'invalid',
      problem: `Slack did not recognise ${channel} as a channel: pick it from the list that appears as you type #, e.g. ${BUDGET_EXAMPLE}.`,
      ...options,
    };
  }
  return { kind: 'budget', action: 'set', amount, channelId, ...options };
}

const ANOMALIES_EXAMPLE = '`/viam-usage anomalies on --min 20 --pct 50`';

/** `anomalies [on|off] [--min <dollars a day>] [--pct <percent above usual>]`; nothing after it shows the settings. */
function parseAnomalies(rest: string[], options: Options): ParsedCommand {
  const command: Extract<ParsedCommand, { kind: 'anomalies' }> = { kind: 'anomalies', ...options };
  const words = [...rest];
  while (words.length > 0) {
    const word = (words.shift() as string).toLowerCase();
    if ((word === 'on' || word === 'off') && command.enabled === undefined) {
      command.enabled = word === 'on';
      continue;
    }
    const [flag, inline] = word.split('=', 2) as [string, string | undefined];
    if (flag === '--min' || flag === '--pct') {
      const raw = inline ?? words.shift();
      const value = flag === '--min' ? parseAmount(raw ?? '') : parsePercent(raw ?? '');
      if (value === undefined) {
        const what = flag === '--min' ? 'an amount in dollars a day, e.g. `--min 20`' : 'a percentage, e.g. `--pct 50`';
        return { kind: 'invalid', problem: `\`${flag}\` needs ${what}.`, ...options };
      }
      if (flag === '--min') command.minDailyUsd = value;
      else command.minIncreasePct = value;
      continue;
    }
    return {
      kind: 'invalid',
      problem: `\`anomalies\` does not take \`${word}\`. Try ${ANOMALIES_EXAMPLE}.`,
      ...options,
    };
  }
  return command;
}

/** `50` or `50%`, from 1 to 10,000. */
function parsePercent(word: string): number | undefined {
  const match = /^(\d{1,5})%?$/.exec(word.trim());
  const value = match ? Number(match[1]) : Number.NaN;
  return value >= 1 && value <= 10_000 ? value : undefined;
}

/** `1500`, `$1,500`, `1500.50` or `1.5k` to dollars; undefined for anything else, zero or negative. */
export function parseAmount(word: string): number | undefined {
  const match = /^\$?((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?|\.\d{1,2})(k)?$/i.exec(word.trim());
  if (!match) return undefined;
  const value = Number((match[1] as string).replace(/,/g, '')) * (match[2] ? 1000 : 1);
  return Number.isFinite(value) && value > 0 ? Math.round(value * 100) / 100 : undefined;
}

function notAChannel(word: string, options: Options): ParsedCommand {
  const problem = word.startsWith('#')
    ? `Slack did not recognise ${word} as a channel: pick it from the list that appears as you type #, e.g. ${DIGEST_EXAMPLE}.`
    : `Start with the channel, e.g. ${DIGEST_EXAMPLE}; \`digest list\`, \`digest off #channel\` and \`digest now\` manage it.`;
  return { kind: 'invalid', problem, ...options };
}

function extraWords(sub: string, rest: string[], options: Options): ParsedCommand {
  return {
    kind: 'invalid',
    problem: `\`${sub}\` does not take \`${rest.join(' ')}\`. Try \`/viam-usage help\`.`,
    ...options,
  };
}

/** `<@U123|jane>` or `<@U123>` to `U123`; anything else is not a mention. */
export function parseUserMention(word: string): string | undefined {
  return /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(word)?.[1];
}

/** `<#C123|general>` or `<#C123>` to `C123`. */
export function parseChannelMention(word: string): string | undefined {
  return /^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(word)?.[1];
}

/** Splits on white space, keeping "double quoted" runs together. Returns a problem sentence when a quote is open. */
function tokenize(text: string): string[] | string {
  const words: string[] = [];
  const pattern = /"([^"]*)"|(\S+)/g;
  const trimmed = text.trim();
  if ((trimmed.match(/"/g)?.length ?? 0) % 2 === 1) return 'A quote is not closed; check the `"` in your command.';
  // Slack HTML-escapes &, < and > typed by the user; its own mentions are the only raw <…>.
  for (const match of trimmed.matchAll(pattern)) words.push(unescapeSlack(match[1] ?? (match[2] as string)));
  return words;
}

function unescapeSlack(word: string): string {
  return word.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function closestSubcommand(input: string): string | undefined {
  if (input.length >= 2) {
    const completion = SUBCOMMANDS.find((name) => name.startsWith(input));
    if (completion) return completion;
  }
  // The distance is at least the difference in length, so a word this much longer than every
  // subcommand is no typo of one; checking first keeps a huge word from costing seconds.
  if (SUBCOMMANDS.every((name) => input.length - name.length > typoAllowance(name))) return undefined;
  let best: { name: string; distance: number } | undefined;
  for (const name of SUBCOMMANDS) {
    const distance = editDistance(input, name);
    if (!best || distance < best.distance) best = { name, distance };
  }
  if (!best) return undefined;
  return best.distance <= typoAllowance(best.name) ? best.name : undefined;
}

/** How many typos still count as meaning `name`. */
function typoAllowance(name: string): number {
  return Math.max(1, Math.floor(name.length / 3));
}

/** Optimal string alignment distance: a swap of two neighbours ("usgae") counts as one typo. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => rows[i]?.[j] as number;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        distance = Math.min(distance, at(i - 2, j - 2) + 1);
      (rows[i] as number[])[j] = distance;
    }
  }
  return at(a.length, b.length);
}

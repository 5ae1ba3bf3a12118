/**
 * Properties of the command parser over arbitrary input: any Unicode, huge strings, Slack's escaped
 * `<@U…|name>` / `<#C…|name>` forms and HTML entities. It never throws, always says what it read, and
 * whatever it cannot read becomes an answer Slack accepts (within Block Kit's limits, no stray markup).
 */
import fc from 'fast-check';
import { renderUnknownCommand } from '../../../src/blocks/help';
import { limitViolations } from '../../../src/blocks/limits';
import { errorNotice } from '../../../src/blocks/notices';
import {
  type ParsedCommand,
  parseChannelMention,
  parseCommand,
  parseUserMention,
  SUBCOMMANDS,
} from '../../../src/handlers/commands/parse';

/** Every subcommand names its own kind; the rest are what the parser makes of other input. */
const KINDS = new Set<string>([...SUBCOMMANDS, 'overview', 'export', 'unknown', 'invalid']);

/** Text as a user may type it: any code points, including quotes, `<`, `&`, newlines and lone surrogates. */
const anyText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ maxLength: 200 }),
  fc
    .array(fc.constantFrom('invoice', 'digest', 'access', 'add', '--org', 'share', '"', '<@U1>', '&lt;', ' ', '\n'), {
      maxLength: 12,
    })
    .map((words) => words.join(' ')),
);

/** Huge input: Slack caps the text, but the app must not depend on that. */
const hugeText = fc
  .tuple(fc.constantFrom('', 'invoice ', 'digest ', 'budget ', 'access add ', 'usage '), fc.string({ minLength: 1 }))
  .map(([head, unit]) => head + unit.repeat(Math.ceil(60_000 / unit.length)));

/** What Slack does to text a user typed before sending it: `&`, `<` and `>` become entities. */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The answer the user sees for input the parser could not use; other kinds are answered by their own handlers. */
function answerFor(parsed: ParsedCommand) {
  if (parsed.kind === 'invalid') return errorNotice(parsed.problem, 'abcd1234');
  if (parsed.kind === 'unknown') return renderUnknownCommand(parsed.input, parsed.suggestion);
  return undefined;
}

const userId = fc.stringMatching(/^[UW][A-Z0-9]{2,12}$/);
const channelId = fc.stringMatching(/^[CG][A-Z0-9]{2,12}$/);
/** A display name as Slack puts it after the `|`: anything but `>`, and no white space (it is one word). */
const displayName = fc.string({ unit: 'grapheme', maxLength: 30 }).filter((name) => !/[>\s"]/u.test(name));

describe('parseCommand on arbitrary input', () => {
  it('never throws and always returns a known kind with a share flag', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, hugeText), (text) => {
        const parsed = parseCommand(text);
        expect(KINDS.has(parsed.kind)).toBe(true);
        expect(typeof parsed.share).toBe('boolean');
        if (parsed.kind === 'invalid') expect(parsed.problem.trim()).not.toBe('');
      }),
      { numRuns: 300 },
    );
  });

  it('answers what it cannot read with a message Slack accepts, whatever was typed', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, hugeText), (text) => {
        const answer = answerFor(parseCommand(slackEscape(text)));
        if (answer) expect(limitViolations(answer)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('ignores white space around the command', () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom(' ', '\n', '\t', '  \n '), (text, space) => {
        expect(parseCommand(`${space}${text}${space}`)).toEqual(parseCommand(text));
      }),
    );
  });

  it('reads an odd number of double quotes as an unclosed quote, and nothing else does', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const parsed = parseCommand(text);
        const quotes = (text.trim().match(/"/g) ?? []).length;
        const unclosed = parsed.kind === 'invalid' && parsed.problem.startsWith('A quote is not closed');
        expect(unclosed).toBe(quotes % 2 === 1);
      }),
    );
  });

  it('gets back any invoice ID word exactly as typed, after Slack escaped it', () => {
    const word = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 60 })
      .filter((w) => !/[\s"]/u.test(w) && w.toLowerCase() !== 'share' && !w.startsWith('--org'));
    fc.assert(
      fc.property(word, (id) => {
        expect(parseCommand(`invoice ${slackEscape(id)}`)).toEqual({ kind: 'invoice', invoiceId: id, share: false });
      }),
    );
  });
});

describe('Slack’s escaped mentions', () => {
  it('reads `<@U…|name>` and `<@U…>` as the user, for any display name', () => {
    fc.assert(
      fc.property(userId, displayName, fc.constantFrom('add', 'remove'), (id, name, action) => {
        const mention = name === '' ? `<@${id}>` : `<@${id}|${name}>`;
        expect(parseUserMention(mention)).toBe(id);
        expect(parseCommand(`access ${action} ${mention}`)).toEqual({
          kind: 'access',
          action,
          userId: id,
          share: false,
        });
      }),
    );
  });

  it('reads `<#C…|name>` as the channel for digests and budgets, with --org and share around it', () => {
    fc.assert(
      fc.property(channelId, displayName, (id, name) => {
        const mention = name === '' ? `<#${id}>` : `<#${id}|${name}>`;
        expect(parseChannelMention(mention)).toBe(id);
        expect(parseCommand(`digest ${mention} mon 09:00 --org acme share`)).toEqual({
          kind: 'digest',
          action: 'set',
          channelId: id,
          scheduleWords: ['mon', '09:00'],
          org: 'acme',
          share: true,
        });
        expect(parseCommand(`budget 1500 ${mention}`)).toMatchObject({ kind: 'budget', amount: 1500, channelId: id });
      }),
    );
  });

  it('never takes a user-typed look-alike (escaped by Slack, or not an ID) for a mention', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), displayName, (id, name) => {
        // Typed by a person, `<@…>` arrives escaped; the parser reads it back, but only a real ID shape counts.
        const typed = parseCommand(`access add ${slackEscape(`<@${id}|${name}>`)}`);
        if (typed.kind === 'access' && typed.action === 'add') expect(typed.userId).toMatch(/^[UW][A-Z0-9]+$/);
        expect(parseUserMention(`<#${id}>`)).toBeUndefined();
        expect(parseChannelMention(`<@${id}>`)).toBeUndefined();
      }),
    );
  });
});

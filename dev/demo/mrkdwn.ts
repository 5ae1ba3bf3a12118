/**
 * Slack's mrkdwn as a small tree, so the terminal and the HTML preview render the same reading of a
 * message. Follows Slack's rules closely enough for the app's own messages: markers only count at
 * word boundaries and on one line, `<…>` holds links and mentions, and `&amp; &lt; &gt;` are the only
 * entities (Slack escapes nothing else).
 */
import { replaceEmojiCodes } from './emoji';

export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'bold' | 'italic' | 'strike'; children: Inline[] }
  | { kind: 'code'; text: string }
  | { kind: 'preformatted'; text: string }
  | { kind: 'link'; url: string; label?: string }
  | { kind: 'user'; id: string; label?: string }
  | { kind: 'channel'; id: string; label?: string }
  /** `<!here>`, `<!subteam^…|@team>`, `<!date^…|fallback>`: shown as their readable form. */
  | { kind: 'special'; text: string };

const EMPHASIS: Record<string, 'bold' | 'italic' | 'strike'> = { '*': 'bold', _: 'italic', '~': 'strike' };

export function parseMrkdwn(source: string): Inline[] {
  const out: Inline[] = [];
  // Code blocks first: nothing inside them is formatting.
  const fence = /```([\s\S]*?)```/g;
  let last = 0;
  for (let match = fence.exec(source); match !== null; match = fence.exec(source)) {
    out.push(...parseSpan(source.slice(last, match.index)));
    out.push({ kind: 'preformatted', text: decodeEntities(match[1] ?? '') });
    last = match.index + match[0].length;
  }
  out.push(...parseSpan(source.slice(last)));
  return mergeText(out);
}

/** Decodes the three entities Slack uses; `&amp;` last so `&amp;lt;` stays `&lt;`. */
export function decodeEntities(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

/** The plain reading of parsed mrkdwn, with mentions resolved by `names`. */
export function plainText(nodes: readonly Inline[], names: NameLookup = NO_NAMES): string {
  return nodes
    .map((node) => {
      switch (node.kind) {
        case 'text':
        case 'code':
        case 'preformatted':
        case 'special':
          return node.text;
        case 'bold':
        case 'italic':
        case 'strike':
          return plainText(node.children, names);
        case 'link':
          return node.label ?? node.url;
        case 'user':
          return userLabel(node, names);
        case 'channel':
          return channelLabel(node, names);
      }
      return '';
    })
    .join('');
}

export interface NameLookup {
  /** A person's display name for a user ID, if known. */
  user(id: string): string | undefined;
  /** A channel's name (without `#`) for a channel ID, if known. */
  channel(id: string): string | undefined;
}

export const NO_NAMES: NameLookup = { user: () => undefined, channel: () => undefined };

export function userLabel(node: { id: string; label?: string }, names: NameLookup): string {
  return `@${names.user(node.id) ?? node.label ?? node.id}`;
}

export function channelLabel(node: { id: string; label?: string }, names: NameLookup): string {
  return `#${names.channel(node.id) ?? node.label ?? node.id}`;
}

function parseSpan(source: string): Inline[] {
  const out: Inline[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ kind: 'text', text: replaceEmojiCodes(decodeEntities(text)) });
    text = '';
  };
  let i = 0;
  while (i < source.length) {
    const char = source.charAt(i);
    if (char === '`') {
      const end = source.indexOf('`', i + 1);
      if (end > i + 1 && !source.slice(i + 1, end).includes('\n')) {
        flush();
        out.push({ kind: 'code', text: decodeEntities(source.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
    } else if (char === '<') {
      const end = source.indexOf('>', i + 1);
      if (end > i + 1) {
        flush();
        out.push(angle(source.slice(i + 1, end)));
        i = end + 1;
        continue;
      }
    } else if (char in EMPHASIS && opensAt(source, i)) {
      const end = closingMarker(source, i);
      if (end !== undefined) {
        flush();
        const kind = EMPHASIS[char] ?? 'bold';
        out.push({ kind, children: parseSpan(source.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
    }
    text += char;
    i += 1;
  }
  flush();
  return out;
}

/** A marker opens only at the start of a word and right before a non-space. */
function opensAt(source: string, at: number): boolean {
  const before = at === 0 ? '' : source.charAt(at - 1);
  const after = source.charAt(at + 1);
  return !isWordChar(before) && after !== '' && !/\s/.test(after);
}

/** The matching marker on the same line: after a non-space and not followed by a word character. */
function closingMarker(source: string, at: number): number | undefined {
  const marker = source.charAt(at);
  for (let j = at + 2; j < source.length; j += 1) {
    const char = source.charAt(j);
    if (char === '\n') return undefined;
    if (char === marker && !/\s/.test(source.charAt(j - 1)) && !isWordChar(source.charAt(j + 1))) return j;
  }
  return undefined;
}

function isWordChar(char: string): boolean {
  return char !== '' && /[\p{L}\p{N}]/u.test(char);
}

function angle(inside: string): Inline {
  const bar = inside.indexOf('|');
  const target = bar >= 0 ? inside.slice(0, bar) : inside;
  const label = bar >= 0 ? decodeEntities(inside.slice(bar + 1)) : undefined;
  const labelled = label ? { label } : {};
  if (target.startsWith('@')) return { kind: 'user', id: target.slice(1), ...labelled };
  if (target.startsWith('#')) return { kind: 'channel', id: target.slice(1), ...labelled };
  if (target.startsWith('!')) return { kind: 'special', text: specialText(target.slice(1), label) };
  return { kind: 'link', url: decodeEntities(target), ...labelled };
}

function specialText(command: string, label: string | undefined): string {
  if (label) return label;
  const name = command.split('^')[0] ?? command;
  return name === 'here' || name === 'channel' || name === 'everyone' ? `@${name}` : `<!${command}>`;
}

function mergeText(nodes: Inline[]): Inline[] {
  const merged: Inline[] = [];
  for (const node of nodes) {
    const previous = merged[merged.length - 1];
    if (node.kind === 'text' && previous?.kind === 'text') previous.text += node.text;
    else merged.push(node);
  }
  return merged;
}

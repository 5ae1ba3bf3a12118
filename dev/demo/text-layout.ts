/**
 * Styled text for the terminal: runs of text with a style, measured in terminal columns, wrapped by
 * words and painted with plain ANSI SGR codes (or not at all). Wrapping works on runs, not on painted
 * strings, so escape codes never count towards the width or get cut in half.
 */

export type Color = 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'gray';

export interface Style {
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  strike?: boolean;
  color?: Color;
}

export interface Run {
  text: string;
  style: Style;
}

/** One terminal line: runs without newlines. */
export type Line = Run[];

export function run(text: string, style: Style = {}): Run {
  return { text, style };
}

/** The same runs with `extra` laid over each one's style (used for dimmed context and the like). */
export function restyle(runs: readonly Run[], extra: Style): Run[] {
  return runs.map((each) => ({ text: each.text, style: { ...each.style, ...extra } }));
}

const SGR: Record<keyof Omit<Style, 'color'>, number> = { bold: 1, dim: 2, italic: 3, underline: 4, strike: 9 };
const COLOR_SGR: Record<Color, number> = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90 };

export function paint(line: readonly Run[], color: boolean): string {
  if (!color) return line.map((each) => each.text).join('');
  return mergeRuns(line)
    .map(({ text, style }) => {
      if (text === '') return text;
      const codes = (Object.keys(SGR) as (keyof typeof SGR)[]).filter((key) => style[key]).map((key) => SGR[key]);
      if (style.color) codes.push(COLOR_SGR[style.color]);
      return codes.length === 0 ? text : `\x1b[${codes.join(';')}m${text}\x1b[0m`;
    })
    .join('');
}

/** Neighbouring runs of the same style as one, so a painted line has one escape pair per styled stretch. */
function mergeRuns(line: readonly Run[]): Run[] {
  const merged: Run[] = [];
  for (const each of line) {
    const previous = merged[merged.length - 1];
    if (previous && sameStyle(previous.style, each.style)) previous.text += each.text;
    else merged.push({ text: each.text, style: each.style });
  }
  return merged;
}

function sameStyle(a: Style, b: Style): boolean {
  const keys: (keyof Style)[] = ['bold', 'dim', 'italic', 'underline', 'strike', 'color'];
  return keys.every((key) => (a[key] ?? false) === (b[key] ?? false));
}

export function paintLines(lines: readonly Line[], color: boolean): string[] {
  return lines.map((line) => paint(line, color));
}

/** Columns a string takes in a terminal: wide for emoji and East Asian wide characters, zero for joiners. */
export function displayWidth(text: string): number {
  const points = Array.from(text);
  let width = 0;
  for (let i = 0; i < points.length; i += 1) {
    const code = points[i]?.codePointAt(0) ?? 0;
    if (isZeroWidth(code)) continue;
    // A text-style symbol followed by VS16 is drawn as an emoji, two columns wide.
    width += isWide(code) || points[i + 1] === '\uFE0F' ? 2 : 1;
  }
  return width;
}

export function lineWidth(line: readonly Run[]): number {
  return line.reduce((sum, each) => sum + displayWidth(each.text), 0);
}

/** The line padded with spaces to `width` columns (unchanged when already as wide). */
export function padLine(line: readonly Run[], width: number): Line {
  const missing = width - lineWidth(line);
  return missing > 0 ? [...line, run(' '.repeat(missing))] : [...line];
}

export function repeatToWidth(char: string, width: number): string {
  const each = Math.max(1, displayWidth(char));
  return char.repeat(Math.max(0, Math.floor(width / each)));
}

/**
 * Breaks runs into lines of at most `width` columns: at newlines, then between words. A line that
 * starts like a list item (`• `, `- `, `1. `) continues under its text rather than under the bullet.
 * Words longer than a line are cut.
 */
export function wrapRuns(runs: readonly Run[], width: number): Line[] {
  const lines: Line[] = [];
  for (const logical of splitLines(runs)) lines.push(...wrapLogicalLine(logical, Math.max(1, width)));
  return lines;
}

function splitLines(runs: readonly Run[]): Line[] {
  const lines: Line[] = [[]];
  for (const each of runs) {
    const parts = each.text.split('\n');
    parts.forEach((part, index) => {
      if (index > 0) lines.push([]);
      if (part !== '') lines[lines.length - 1]?.push(run(part, each.style));
    });
  }
  return lines;
}

interface Piece {
  runs: Run[];
  space: boolean;
}

function wrapLogicalLine(line: Line, width: number): Line[] {
  if (line.length === 0) return [[]];
  const hanging = Math.min(hangingIndent(line), Math.floor(width / 2));
  const out: Line[] = [];
  let current: Run[] = [];
  let used = 0;
  let pendingSpace: Run[] = [];
  let lineHasWord = false;
  const newLine = () => {
    out.push(current);
    current = hanging > 0 ? [run(' '.repeat(hanging))] : [];
    used = hanging;
    pendingSpace = [];
    lineHasWord = false;
  };

  for (const [index, piece] of piecesOf(line).entries()) {
    if (piece.space) {
      // Leading spaces are indentation and stay; other spaces only matter between two words.
      if (index === 0) {
        current.push(...piece.runs);
        used += lineWidth(piece.runs);
      } else pendingSpace = piece.runs;
      continue;
    }
    const wordWidth = lineWidth(piece.runs);
    if (lineHasWord && used + lineWidth(pendingSpace) + wordWidth > width) newLine();
    if (lineHasWord) {
      current.push(...pendingSpace);
      used += lineWidth(pendingSpace);
    }
    pendingSpace = [];
    lineHasWord = true;
    if (used + wordWidth <= width) {
      current.push(...piece.runs);
      used += wordWidth;
      continue;
    }
    // Longer than a whole line: cut it.
    cutToWidth(piece.runs, width - used, width - hanging).forEach((chunk, chunkIndex) => {
      if (chunkIndex > 0) {
        newLine();
        lineHasWord = true;
      }
      current.push(...chunk);
      used += lineWidth(chunk);
    });
  }
  out.push(current);
  return out.map(trimEnd);
}

function piecesOf(line: Line): Piece[] {
  const pieces: Piece[] = [];
  for (const each of line) {
    for (const part of each.text.split(/(\s+)/)) {
      if (part === '') continue;
      const space = /^\s+$/.test(part);
      const previous = pieces[pieces.length - 1];
      if (previous && previous.space === space) previous.runs.push(run(part, each.style));
      else pieces.push({ runs: [run(part, each.style)], space });
    }
  }
  return pieces;
}

function hangingIndent(line: Line): number {
  const text = line.map((each) => each.text).join('');
  const bullet = /^(\s*(?:[•◦▪‣*-]|\d{1,2}[.)])\s+)/.exec(text);
  return bullet?.[1] ? displayWidth(bullet[1]) : 0;
}

/** Splits a word into chunks: the first fits `firstWidth` columns, the rest `width` columns each. */
function cutToWidth(runs: readonly Run[], firstWidth: number, width: number): Line[] {
  const chunks: Line[] = [[]];
  let room = Math.max(1, firstWidth);
  let used = 0;
  for (const each of runs) {
    let text = '';
    for (const char of Array.from(each.text)) {
      const charWidth = displayWidth(char);
      if (used + charWidth > room && used > 0) {
        if (text) chunks[chunks.length - 1]?.push(run(text, each.style));
        chunks.push([]);
        text = '';
        used = 0;
        room = Math.max(1, width);
      }
      text += char;
      used += charWidth;
    }
    if (text) chunks[chunks.length - 1]?.push(run(text, each.style));
  }
  return chunks.filter((chunk) => chunk.length > 0);
}

function trimEnd(line: Line): Line {
  const trimmed = [...line];
  while (trimmed.length > 0) {
    const last = trimmed[trimmed.length - 1] as Run;
    const text = last.text.replace(/\s+$/, '');
    if (text === '') {
      trimmed.pop();
      continue;
    }
    trimmed[trimmed.length - 1] = run(text, last.style);
    break;
  }
  return trimmed;
}

function isZeroWidth(code: number): boolean {
  return (
    (code >= 0x0300 && code <= 0x036f) ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x20d0 && code <= 0x20ff) ||
    (code >= 0xfe00 && code <= 0xfe0f)
  );
}

const WIDE_SYMBOLS = new Set([
  0x231a, 0x231b, 0x23e9, 0x23ea, 0x23eb, 0x23ec, 0x23f0, 0x23f3, 0x25fd, 0x25fe, 0x2614, 0x2615, 0x267f, 0x2693,
  0x26a1, 0x26aa, 0x26ab, 0x26bd, 0x26be, 0x26c4, 0x26c5, 0x26ce, 0x26d4, 0x26ea, 0x26f2, 0x26f3, 0x26f5, 0x26fa,
  0x26fd, 0x2705, 0x270a, 0x270b, 0x2728, 0x274c, 0x274e, 0x2753, 0x2754, 0x2755, 0x2757, 0x2795, 0x2796, 0x2797,
  0x27b0, 0x27bf, 0x2b1b, 0x2b1c, 0x2b50, 0x2b55,
]);

function isWide(code: number): boolean {
  return (
    WIDE_SYMBOLS.has(code) ||
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1f64f) ||
    (code >= 0x1f680 && code <= 0x1f6ff) ||
    (code >= 0x1f900 && code <= 0x1f9ff) ||
    (code >= 0x1fa70 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

/**
 * Text as outlines: each `<text>` element of an SVG written by svg-markup becomes a `<path>` of its glyphs
 * before resvg sees it. resvg shapes and outlines every label anew, about 17 µs per character (measured), which
 * was a third of a chart's drawing; a path of ready-made glyph outlines parses in a fraction of that.
 *
 * The glyphs come from a table generated from the chart's own font files (src/charts/fonts/glyphs.json, by
 * scripts/chart-glyph-table.ts), placed with the fonts' Latin pair kerning, as resvg's shaper placed them.
 * Nothing else of shaping is applied (no ligatures, no right-to-left runs): chart labels are Latin, Greek or
 * Cyrillic words, digits and symbols. A character the fonts lack leaves a blank of the missing glyph's width,
 * as resvg's own drawing did with these fonts only.
 *
 * The input is svg-markup's own output, never arbitrary SVG: text elements have no children and quoted
 * attributes, and only the root sets a default font size.
 */
import { readFileSync } from 'node:fs';
import { formatNumber } from './svg-markup';

/** `[advance, startX, startY, rest]` in font units, y up: the first point absolute, the rest relative steps. */
export type GlyphEntry = [number, number, number, string];

export interface FaceTable {
  unitsPerEm: number;
  glyphs: Record<string, GlyphEntry>;
  /** Drawn for a character the face does not map. */
  missing: GlyphEntry;
  /** kerning[left][right], in font units; pairs not listed are 0. */
  kerning: Record<string, Record<string, number>>;
}

export interface GlyphTable {
  generatedBy: string;
  regular: FaceTable;
  bold: FaceTable;
}

type Attributes = Record<string, string>;

const TEXT_ELEMENT = /<text((?:\s+[A-Za-z:-]+="[^"]*")*)>([^<]*)<\/text>/g;
const ROOT_ELEMENT = /<svg((?:\s+[A-Za-z:-]+="[^"]*")*)>/;
const ATTRIBUTE = /\s+([A-Za-z:-]+)="([^"]*)"/g;
/** SVG's initial font size, for a document that sets none. */
const INITIAL_FONT_SIZE = 16;
/** What a path keeps of its text's attributes: how it is painted and what it is. */
const KEPT_ATTRIBUTES = ['class', 'fill', 'fill-opacity', 'opacity'] as const;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

class Face {
  private readonly glyphs: Map<string, GlyphEntry>;
  private readonly kerning: Map<string, Map<string, number>>;

  constructor(private readonly table: FaceTable) {
    this.glyphs = new Map(Object.entries(table.glyphs));
    this.kerning = new Map(
      Object.entries(table.kerning).map(([left, rights]) => [left, new Map(Object.entries(rights))]),
    );
  }

  get unitsPerEm(): number {
    return this.table.unitsPerEm;
  }

  /**
   * Places the run's glyphs one after another with the face's pair kerning, handing each (and its pen
   * position, in font units) to `visit`; returns the run's advance.
   */
  place(content: string, visit?: (glyph: GlyphEntry, pen: number) => void): number {
    let pen = 0;
    let previous: string | undefined;
    for (const character of content) {
      const glyph = this.glyphs.get(character) ?? this.table.missing;
      if (previous !== undefined) pen += this.kerning.get(previous)?.get(character) ?? 0;
      visit?.(glyph, pen);
      pen += glyph[0];
      previous = character;
    }
    return pen;
  }
}

function attributesOf(markup: string): Attributes {
  const attributes: Attributes = {};
  for (const [, name, value] of markup.matchAll(ATTRIBUTE)) attributes[name as string] = value as string;
  return attributes;
}

/**
 * The markup with every other character as a character reference, in a one-byte string. The paths are ASCII
 * too, so the whole document stays one byte a character: a slice of a two-byte string (one `—` in a title
 * makes the whole SVG one) would make the joined document two-byte and twice the size, past the size where
 * V8 gives each string a memory region of its own (about 0.6 ms a chart, measured).
 */
function asciiOnly(markup: string): string {
  const escaped = markup.replace(/[\u0080-\u{10FFFF}]/gu, (character) => `&#${character.codePointAt(0)};`);
  return Buffer.from(escaped, 'latin1').toString('latin1');
}

/** Text content as written: svg-markup's named entities and asciiOnly's character references read back. */
function unescapeXml(text: string): string {
  return text.replace(/&(?:(amp|lt|gt|quot|apos)|#(\d+));/g, (_, name: string | undefined, code: string | undefined) =>
    name ? (ENTITIES[name] as string) : String.fromCodePoint(Number(code)),
  );
}

export class TextOutliner {
  private readonly regular: Face;
  private readonly bold: Face;

  /** `tableFile`: a glyph table as scripts/chart-glyph-table.ts writes it. */
  constructor(tableFile: string) {
    const table = JSON.parse(readFileSync(tableFile, 'utf8')) as GlyphTable;
    this.regular = new Face(table.regular);
    this.bold = new Face(table.bold);
  }

  /** How far a run of text advances the pen, in pixels, kerning included: what a label needs across. */
  width(content: string, size: number, weight: 'normal' | 'bold' = 'normal'): number {
    const face = weight === 'bold' ? this.bold : this.regular;
    return (face.place(content) * size) / face.unitsPerEm;
  }

  /** The SVG with every text element drawn as a path of the same glyphs at the same place. */
  outline(document: string): string {
    const svg = asciiOnly(document);
    const root = ROOT_ELEMENT.exec(svg);
    const rootSize = Number(root ? attributesOf(root[1] ?? '')['font-size'] : undefined);
    const defaultSize = Number.isFinite(rootSize) && rootSize > 0 ? rootSize : INITIAL_FONT_SIZE;
    const parts: string[] = [];
    let copied = 0;
    for (const match of svg.matchAll(TEXT_ELEMENT)) {
      parts.push(svg.slice(copied, match.index));
      this.pushPath(parts, attributesOf(match[1] ?? ''), unescapeXml(match[2] ?? ''), defaultSize);
      copied = match.index + match[0].length;
    }
    parts.push(svg.slice(copied));
    return parts.join('');
  }

  /** Appends the text's path (nothing for blank text) to `parts`, piece by piece: one join builds the document. */
  private pushPath(parts: string[], attributes: Attributes, content: string, defaultSize: number): void {
    const face = attributes['font-weight'] === 'bold' ? this.bold : this.regular;
    const size = Number(attributes['font-size'] ?? defaultSize);
    const scale = size / face.unitsPerEm;
    const opening = parts.length;
    parts.push('');
    const advance = face.place(content, ([, startX, startY, rest], pen) => {
      if (rest) parts.push(`M${pen + startX} ${startY}`, rest);
    });
    if (parts.length === opening + 1) {
      parts.length = opening;
      return;
    }
    const anchor = attributes['text-anchor'];
    const shift = anchor === 'middle' ? advance / 2 : anchor === 'end' ? advance : 0;
    const x = Number(attributes.x ?? 0) - shift * scale;
    const y = Number(attributes.y ?? 0);
    const placement = `translate(${formatNumber(x)} ${formatNumber(y)}) scale(${scale} ${-scale})`;
    const transform = attributes.transform ? `${attributes.transform} ${placement}` : placement;
    const kept = KEPT_ATTRIBUTES.filter((name) => attributes[name] !== undefined)
      .map((name) => ` ${name}="${attributes[name]}"`)
      .join('');
    // The opening tag needs the run's width (for the anchor), known only now.
    parts[opening] = `<path${kept} transform="${transform}" d="`;
    parts.push('"/>');
  }
}

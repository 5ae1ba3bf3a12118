/**
 * Writes src/charts/fonts/glyphs.json from the chart's font subsets: each face's glyph outlines (as path data
 * that starts at any pen position), advances and pair kerning, for src/charts/text-outlines.ts. Generated,
 * never edited by hand; `scripts/subset-chart-fonts.sh` runs it after cutting the fonts, and a test checks
 * the file still matches them.
 *
 * Why a table and not the fonts at run time: parsing both faces with opentype.js kept about 9 MiB of heap in
 * the render thread (most of it DejaVu's class-kerning tables), for about 4,000 kerning pairs that matter.
 *
 * Usage: npx tsx scripts/chart-glyph-table.ts
 */
/// <reference path="./opentype.d.ts" />
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import opentype, { type Font, type Glyph } from 'opentype.js';
import { CHART_FONTS } from '../src/charts/rasterize';
import type { FaceTable, GlyphEntry, GlyphTable } from '../src/charts/text-outlines';

export const GLYPH_TABLE_FILE = path.join(__dirname, '..', 'src', 'charts', 'fonts', 'glyphs.json');

/** The face's glyphs by character, its kerning between the characters it maps, and its missing glyph. */
export function faceTable(fontFile: string): FaceTable {
  const bytes = readFileSync(fontFile);
  const font = opentype.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const characters = Object.keys(font.tables.cmap.glyphIndexMap)
    .map(Number)
    .sort((a, b) => a - b)
    .map((code) => String.fromCodePoint(code));
  const glyphs: Record<string, GlyphEntry> = {};
  for (const character of characters) glyphs[character] = entryOf(font.charToGlyph(character));
  return {
    unitsPerEm: font.unitsPerEm,
    glyphs,
    missing: entryOf(font.glyphs.get(0)),
    kerning: kerningOf(font, characters),
  };
}

export function glyphTable(): GlyphTable {
  return {
    generatedBy: 'scripts/chart-glyph-table.ts from src/charts/fonts/*.ttf; do not edit',
    regular: faceTable(CHART_FONTS.regular),
    bold: faceTable(CHART_FONTS.bold),
  };
}

/**
 * Kerning from the GPOS `kern` lookups of the Latin script. (opentype.js's own getKerningValue reads the default
 * script's, and DejaVu's default script has none; resvg's shaper kerns chart labels by these.)
 */
function kerningOf(font: Font, characters: readonly string[]): Record<string, Record<string, number>> {
  const lookups = font.position.getKerningTables('latn');
  const kerning: Record<string, Record<string, number>> = {};
  if (!lookups || lookups.length === 0) return kerning;
  const indexes = characters.map((character) => [character, font.charToGlyph(character).index] as const);
  for (const [left, leftIndex] of indexes) {
    for (const [right, rightIndex] of indexes) {
      const value = font.position.getKerningValue(lookups, leftIndex, rightIndex);
      if (value === 0) continue;
      kerning[left] = { ...kerning[left], [right]: value };
    }
  }
  return kerning;
}

/**
 * `[advance, startX, startY, rest]`: the first point absolute, every later one relative to the one before, in
 * font units with y up. Relative steps are taken between rounded points, so no rounding error adds up.
 */
function entryOf(glyph: Glyph): GlyphEntry {
  const advance = glyph.advanceWidth ?? 0;
  let start: [number, number] | undefined;
  const steps: string[] = [];
  let currentX = 0;
  let currentY = 0;
  let subpathX = 0;
  let subpathY = 0;
  const step = (x: number, y: number) => `${Math.round(x) - currentX} ${Math.round(y) - currentY}`;
  for (const command of glyph.path.commands) {
    if (command.type === 'Z') {
      steps.push('z');
      currentX = subpathX;
      currentY = subpathY;
      continue;
    }
    const x = Math.round(command.x);
    const y = Math.round(command.y);
    if (command.type === 'M') {
      if (start) steps.push(`m${step(x, y)}`);
      else start = [x, y];
      subpathX = x;
      subpathY = y;
    } else if (command.type === 'L') {
      // TrueType contours often repeat a point; a line to where the pen already is draws nothing.
      if (x !== currentX || y !== currentY) steps.push(`l${step(x, y)}`);
    } else if (command.type === 'Q') {
      steps.push(`q${step(command.x1, command.y1)} ${step(x, y)}`);
    } else {
      steps.push(`c${step(command.x1, command.y1)} ${step(command.x2, command.y2)} ${step(x, y)}`);
    }
    currentX = x;
    currentY = y;
  }
  return start ? [advance, start[0], start[1], steps.join('')] : [advance, 0, 0, ''];
}

if (require.main === module) {
  writeFileSync(GLYPH_TABLE_FILE, `${JSON.stringify(glyphTable())}\n`);
  console.log(`wrote ${path.relative(process.cwd(), GLYPH_TABLE_FILE)}`);
}

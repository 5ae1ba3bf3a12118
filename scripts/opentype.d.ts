/**
 * The part of opentype.js scripts/chart-glyph-table.ts uses. The package ships no types, and
 * `@types/opentype.js` pulls the DOM's type library into the whole program.
 */
declare module 'opentype.js' {
  type PathCommand =
    | { type: 'M'; x: number; y: number }
    | { type: 'L'; x: number; y: number }
    | { type: 'Q'; x1: number; y1: number; x: number; y: number }
    | { type: 'C'; x1: number; y1: number; x2: number; y2: number; x: number; y: number }
    | { type: 'Z' };

  export interface Glyph {
    index: number;
    advanceWidth?: number;
    /** The outline in font units, y up. */
    path: { commands: PathCommand[] };
  }

  /** A GPOS lookup list, as opentype.js reads it. */
  export type KerningLookups = unknown[];

  export interface Font {
    unitsPerEm: number;
    tables: { cmap: { glyphIndexMap: Record<string, number> } };
    glyphs: { get(index: number): Glyph };
    charToGlyph(character: string): Glyph;
    /** Pair kerning from the default script's GPOS lookups, or the legacy `kern` table. */
    getKerningValue(left: number, right: number): number;
    position: {
      /** The GPOS `kern` lookups of a script (`latn`), undefined without a GPOS table. */
      getKerningTables(script: string, language?: string): KerningLookups | undefined;
      getKerningValue(lookups: KerningLookups, left: number, right: number): number;
    };
  }

  export function parse(buffer: ArrayBuffer): Font;
  const opentype: { parse: typeof parse };
  export default opentype;
}

import { readFileSync } from 'node:fs';
import { GLYPH_TABLE_FILE, glyphTable } from '../../scripts/chart-glyph-table';

describe('the chart’s glyph table', () => {
  const generated = glyphTable();

  it('is what scripts/chart-glyph-table.ts makes of the fonts beside it (regenerate it after changing them)', () => {
    expect(JSON.parse(readFileSync(GLYPH_TABLE_FILE, 'utf8'))).toEqual(generated);
  });

  it('holds every character the chart’s words use, with outlines, and the fonts’ kerning pairs', () => {
    for (const face of [generated.regular, generated.bold]) {
      expect(face.unitsPerEm).toBe(2048);
      for (const character of 'Spend by category $0.00 – — · ’ Ацме Αλφα Müller ≤ €') {
        expect(face.glyphs[character]).toBeDefined();
        if (character !== ' ') expect(face.glyphs[character]?.[3]).toMatch(/^[mlqcz\d -]+$/);
      }
      expect(face.kerning.T?.o).toBeLessThan(0);
    }
  });
});

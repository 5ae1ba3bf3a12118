import { type PdfDocument, textWidth, writePdf } from '../../../dev/emulator/pdf-writer';
import { inspectPdf } from './pdf-inspect';

const twoPages: PdfDocument = {
  title: 'Test (with parens)',
  creationDate: new Date('2026-11-01T00:00:00Z'),
  pages: [
    [
      { x: 72, y: 700, size: 12, font: 'bold', text: 'First page (bold) \\ backslash' },
      { x: 72, y: 680, size: 10, text: 'caf\u00e9 \u2014 non-ASCII becomes ?' },
    ],
    [{ x: 72, y: 700, size: 12, text: 'Second page' }],
  ],
};

describe('writePdf', () => {
  it('writes a structurally valid PDF: header, xref offsets, trailer, page tree and escaped text', () => {
    const pdf = writePdf(twoPages);
    const structure = inspectPdf(pdf);
    expect(structure.version).toBe('1.4');
    expect(structure.pageCount).toBe(2);
    expect(structure.texts).toEqual(['First page (bold) \\ backslash', 'caf? ? non-ASCII becomes ?', 'Second page']);
    expect(pdf.toString('latin1')).toContain('/Title (Test \\(with parens\\))');
    expect(pdf.toString('latin1')).toContain('/CreationDate (D:20261101000000Z)');
  });

  it('is deterministic for the same input', () => {
    expect(writePdf(twoPages).equals(writePdf(twoPages))).toBe(true);
  });

  it('pads to exact sizes, including sizes where length digits roll over', () => {
    const natural = writePdf(twoPages).length;
    // The padding object, its xref entry and the /Length digits need some room of their own.
    const smallest = natural + 100;
    const sizes = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
    // Every size up past the 4-to-5 digit rollovers of startxref and /Length, then windows around later ones.
    const targets = [
      ...sizes(smallest, natural + 10_200),
      ...sizes(99_950, 100_050),
      ...sizes(natural + 99_950, natural + 100_100),
    ];
    for (const target of targets) {
      const size = writePdf(twoPages, { totalBytes: target }).length;
      if (size !== target) throw new Error(`asked for ${target} bytes, got ${size}`);
    }
    const megabyte = writePdf(twoPages, { totalBytes: 1_048_576 });
    expect(megabyte.length).toBe(1_048_576);
    expect(inspectPdf(megabyte).pageCount).toBe(2);
  });

  it('refuses sizes below what the document needs, and documents without pages', () => {
    expect(() => writePdf(twoPages, { totalBytes: 100 })).toThrow(RangeError);
    expect(() => writePdf({ title: 'empty', pages: [] })).toThrow('at least one page');
  });

  it('measures Helvetica widths for right alignment', () => {
    expect(textWidth('$1,234.56', 10)).toBeCloseTo((556 * 7 + 278 * 2) / 100);
    expect(textWidth('', 12)).toBe(0);
  });
});

/**
 * A minimal PDF 1.4 writer: text-only pages in the standard Helvetica fonts, an Info dictionary,
 * a classic xref table with exact byte offsets, and an optional padding stream that brings the
 * file to an exact size (for tests of large downloads). Output is deterministic for the same input.
 */

export type PdfFont = 'regular' | 'bold';

export interface PdfText {
  x: number;
  /** From the bottom of the page, in points. */
  y: number;
  size: number;
  font?: PdfFont;
  text: string;
}

export interface PdfDocument {
  title: string;
  producer?: string;
  creationDate?: Date;
  pages: PdfText[][];
}

/** US Letter, in points. */
export const PAGE_WIDTH = 612;
export const PAGE_HEIGHT = 792;

/** Helvetica advance widths (1/1000 em) for ASCII 32..126, from Adobe's Helvetica AFM. */
const HELVETICA_WIDTHS = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556,
  556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833,
  722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556,
  556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334,
  260, 334, 584,
];

/** Width of `text` in points when set in regular Helvetica; used to right-align amounts. */
export function textWidth(text: string, size: number): number {
  let units = 0;
  for (const char of printable(text)) units += HELVETICA_WIDTHS[char.charCodeAt(0) - 32] ?? 556;
  return (units * size) / 1000;
}

/** Keeps to printable ASCII so every character exists in the standard fonts' encoding. */
function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

function pdfString(text: string): string {
  return `(${printable(text).replace(/[\\()]/g, (char) => `\\${char}`)})`;
}

/** PDF date string, `D:YYYYMMDDHHmmSSZ`. */
function pdfDate(date: Date): string {
  return `D:${date
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.\d{3}Z$/, '')}Z`;
}

function streamHead(length: number): string {
  return `<< /Length ${length} >>\nstream\n`;
}
const STREAM_TAIL = '\nendstream';

function streamBody(data: Buffer): Buffer {
  const head = streamHead(data.length);
  return Buffer.concat([Buffer.from(head, 'latin1'), data, Buffer.from(STREAM_TAIL, 'latin1')]);
}

function contentStream(texts: PdfText[]): Buffer {
  const ops = texts.map(
    (t) =>
      `BT /${t.font === 'bold' ? 'F2' : 'F1'} ${t.size} Tf ${fixed(t.x)} ${fixed(t.y)} Td ${pdfString(t.text)} Tj ET`,
  );
  return Buffer.from(`${ops.join('\n')}\n`, 'latin1');
}

function fixed(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

// The comment's high bytes tell transfer tools the file is binary.
const HEADER = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1');
const XREF_ENTRY_BYTES = 20;

function objectHead(number: number): string {
  return `${number} 0 obj\n`;
}
const OBJECT_TAIL = '\nendobj\n';

/** Spaces in the trailer change the size without moving any offset; padding uses them to land exactly. */
function trailer(objectCount: number, xrefOffset: number, spaces = 0): string {
  return `trailer\n<<${' '.repeat(spaces)} /Size ${objectCount + 1} /Root 1 0 R /Info 5 0 R >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
}

function xrefHead(objectCount: number): string {
  return `xref\n0 ${objectCount + 1}\n`;
}

/** File size for object bodies of these lengths, computed without building the file. */
function fileSize(bodyLengths: number[], trailerSpaces = 0): number {
  let offset = HEADER.length;
  bodyLengths.forEach((length, index) => {
    offset += objectHead(index + 1).length + length + OBJECT_TAIL.length;
  });
  const count = bodyLengths.length;
  return (
    offset + xrefHead(count).length + (count + 1) * XREF_ENTRY_BYTES + trailer(count, offset, trailerSpaces).length
  );
}

function assemble(bodies: Buffer[], trailerSpaces = 0): Buffer {
  const parts: Buffer[] = [HEADER];
  const offsets: number[] = [];
  let offset = HEADER.length;
  bodies.forEach((body, index) => {
    offsets.push(offset);
    const head = Buffer.from(objectHead(index + 1), 'latin1');
    const tail = Buffer.from(OBJECT_TAIL, 'latin1');
    parts.push(head, body, tail);
    offset += head.length + body.length + tail.length;
  });
  const entries = offsets.map((at) => `${String(at).padStart(10, '0')} 00000 n \n`).join('');
  parts.push(
    Buffer.from(
      `${xrefHead(bodies.length)}0000000000 65535 f \n${entries}${trailer(bodies.length, offset, trailerSpaces)}`,
      'latin1',
    ),
  );
  return Buffer.concat(parts);
}

function documentBodies(doc: PdfDocument): Buffer[] {
  const pageCount = doc.pages.length;
  const firstPageObject = 6;
  const kids = doc.pages.map((_, i) => `${firstPageObject + 2 * i} 0 R`).join(' ');
  const info = [
    `/Title ${pdfString(doc.title)}`,
    `/Producer ${pdfString(doc.producer ?? 'Viam billing emulator')}`,
    doc.creationDate ? `/CreationDate ${pdfString(pdfDate(doc.creationDate))}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const bodies = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${kids}] /Count ${pageCount} >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
    `<< ${info} >>`,
  ].map((text): Buffer => Buffer.from(text, 'latin1'));
  doc.pages.forEach((texts, i) => {
    const contentObject = firstPageObject + 2 * i + 1;
    bodies.push(
      Buffer.from(
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] ` +
          `/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${contentObject} 0 R >>`,
        'latin1',
      ),
      streamBody(contentStream(texts)),
    );
  });
  return bodies;
}

const PADDING_TEXT = '% padding added by the Viam billing emulator to reach a requested file size\n';

/** Room for the digit steps one more padding byte can cause (/Length and startxref both growing). */
const MAX_TRAILER_SPACES = 4;

/**
 * Finds a padding stream length, plus spaces in the trailer, that make the file exactly `target`
 * bytes. One more padding byte can add a digit to /Length and to startxref at once, so length
 * alone skips some sizes; trailer spaces fill those gaps without moving any offset.
 */
function paddingFor(bodies: Buffer[], target: number): { length: number; trailerSpaces: number } {
  const lengths = bodies.map((body) => body.length);
  const sizeWith = (length: number) => fileSize([...lengths, streamHead(length).length + length + STREAM_TAIL.length]);
  const smallest = sizeWith(0);
  if (target < smallest) {
    throw new RangeError(`requested PDF size ${target} is below the smallest possible ${smallest} bytes`);
  }
  // Size grows by one per byte plus a few digit steps, so a few corrections land within reach.
  let estimate = target - smallest;
  for (let i = 0; i < 3; i++) estimate = Math.max(0, estimate + target - sizeWith(estimate));
  for (let length = estimate + 8; length >= Math.max(0, estimate - 8); length--) {
    const spare = target - sizeWith(length);
    if (spare >= 0 && spare <= MAX_TRAILER_SPACES) return { length, trailerSpaces: spare };
  }
  throw new RangeError(`cannot pad the PDF to exactly ${target} bytes`);
}

/** Writes the document; with `totalBytes`, appends an unreferenced padding stream to reach that exact size. */
export function writePdf(doc: PdfDocument, options: { totalBytes?: number } = {}): Buffer {
  if (doc.pages.length === 0) throw new RangeError('a PDF needs at least one page');
  const bodies = documentBodies(doc);
  if (options.totalBytes === undefined) return assemble(bodies);
  const { length, trailerSpaces } = paddingFor(bodies, options.totalBytes);
  bodies.push(streamBody(Buffer.alloc(length, PADDING_TEXT, 'latin1')));
  return assemble(bodies, trailerSpaces);
}

/**
 * A strict little PDF structure check for tests (pdfinfo may not be installed): header, %%EOF,
 * startxref pointing at an xref table whose every in-use entry points at "N 0 obj", a trailer
 * with /Size and /Root, stream /Length values that match, and the page tree's /Count.
 */
export interface PdfStructure {
  version: string;
  objectCount: number;
  pageCount: number;
  /** Text shown with Tj, in page order. */
  texts: string[];
}

export function inspectPdf(pdf: Buffer): PdfStructure {
  const text = pdf.toString('latin1');
  const version = /^%PDF-(\d\.\d)\n/.exec(text)?.[1];
  if (!version) throw new Error('no %PDF- header');
  if (!text.endsWith('%%EOF\n') && !text.endsWith('%%EOF')) throw new Error('no %%EOF at the end');

  const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(text);
  if (!startxref?.[1]) throw new Error('no startxref');
  const xrefAt = Number(startxref[1]);
  if (text.slice(xrefAt, xrefAt + 5) !== 'xref\n') throw new Error(`startxref ${xrefAt} does not point at "xref"`);
  const subsection = /^xref\n(\d+) (\d+)\n/.exec(text.slice(xrefAt));
  if (!subsection?.[2] || subsection[1] !== '0') throw new Error('bad xref subsection');
  const count = Number(subsection[2]);
  const entriesAt = xrefAt + subsection[0].length;
  const offsets = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const entry = text.slice(entriesAt + 20 * i, entriesAt + 20 * (i + 1));
    const match = /^(\d{10}) (\d{5}) ([nf])(?: \n|\r\n)$/.exec(entry);
    if (!match) throw new Error(`bad xref entry ${i}: ${JSON.stringify(entry)}`);
    if (match[3] === 'f') continue;
    const offset = Number(match[1]);
    if (!text.startsWith(`${i} 0 obj`, offset))
      throw new Error(`xref entry ${i} (offset ${offset}) misses "${i} 0 obj"`);
    offsets.set(i, offset);
  }
  const trailer = /trailer\s*<<(.*?)>>\s*startxref/s.exec(text.slice(entriesAt + 20 * count));
  if (!trailer?.[1]) throw new Error('no trailer after the xref table');
  if (Number(/\/Size (\d+)/.exec(trailer[1])?.[1]) !== count) throw new Error('trailer /Size differs from the xref');
  const root = /\/Root (\d+) 0 R/.exec(trailer[1])?.[1];
  if (!root) throw new Error('trailer has no /Root');

  const body = (n: number): string => {
    const at = offsets.get(n);
    if (at === undefined) throw new Error(`object ${n} missing`);
    const end = text.indexOf('endobj', at);
    return text.slice(at, end);
  };
  for (const n of offsets.keys()) {
    const object = body(n);
    const stream = /<<(.*?)>>\s*stream\n/s.exec(object);
    if (!stream?.[1]) continue;
    const length = Number(/\/Length (\d+)/.exec(stream[1])?.[1]);
    const dataAt = (offsets.get(n) ?? 0) + stream.index + stream[0].length;
    if (text.slice(dataAt + length, dataAt + length + 10) !== '\nendstream') {
      throw new Error(`object ${n}: /Length ${length} does not end at endstream`);
    }
  }
  const pagesRef = /\/Pages (\d+) 0 R/.exec(body(Number(root)))?.[1];
  if (!/\/Type \/Catalog/.test(body(Number(root))) || !pagesRef) throw new Error('root is not a catalog with /Pages');
  const pages = body(Number(pagesRef));
  const pageCount = Number(/\/Count (\d+)/.exec(pages)?.[1]);
  const kids = [...(/\/Kids \[([^\]]*)\]/.exec(pages)?.[1] ?? '').matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1]));
  if (kids.length !== pageCount) throw new Error(`/Count ${pageCount} but ${kids.length} kids`);
  const texts: string[] = [];
  for (const kid of kids) {
    const page = body(kid);
    if (!/\/Type \/Page\b/.test(page)) throw new Error(`kid ${kid} is not a page`);
    const contents = Number(/\/Contents (\d+) 0 R/.exec(page)?.[1]);
    for (const shown of body(contents).matchAll(/\(((?:\\.|[^\\)])*)\) Tj/g)) {
      texts.push((shown[1] ?? '').replace(/\\(.)/g, '$1'));
    }
  }
  return { version, objectCount: count - 1, pageCount, texts };
}

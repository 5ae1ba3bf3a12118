/**
 * The images a Markdown file shows: `![alt](path "title")` and `<img src="path">`, outside code blocks and
 * code spans (where they are only text). Addresses with a scheme (`https:`) are left out: only files of
 * this repository can be checked.
 */

const FENCED_BLOCK = /^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^ {0,3}\1[^\S\n]*$|(?![\s\S]))/gm;
const CODE_SPAN = /(`+)[\s\S]*?\1/g;
const MARKDOWN_IMAGE = /!\[[^\]]*\]\(\s*<?([^\s)>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const HTML_IMAGE = /<img\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

export function localImageReferences(markdown: string): string[] {
  const prose = markdown.replace(FENCED_BLOCK, '').replace(CODE_SPAN, '');
  const found = [
    ...[...prose.matchAll(MARKDOWN_IMAGE)].map((match) => match[1]),
    ...[...prose.matchAll(HTML_IMAGE)].map((match) => match[1] ?? match[2] ?? match[3]),
  ];
  const local = found
    .filter((reference): reference is string => reference !== undefined && reference !== '')
    .filter((reference) => !HAS_SCHEME.test(reference) && !reference.startsWith('//'))
    .map((reference) => decodeURI(reference.split(/[?#]/)[0] ?? reference));
  return [...new Set(local)];
}

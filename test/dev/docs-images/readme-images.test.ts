/**
 * The README's images: finding them in Markdown, and every one it shows being a PNG in the repository.
 * Needs no browser, so it always runs.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DOC_IMAGES } from '../../../dev/docs-images/images';
import { localImageReferences } from '../../../dev/docs-images/readme-images';
import { pngProblems } from './png-file';

const REPO = path.join(__dirname, '../../..');

describe('localImageReferences', () => {
  it('finds Markdown images, with or without a title, and HTML images in any quoting', () => {
    const markdown = [
      '![The overview](docs/images/overview.png) and ![A digest](docs/images/digest.png "Monday")',
      '<img src="docs/images/a.png" width="280" alt="a">',
      "<img alt='b' src='docs/images/b.png'>",
      '<IMG SRC=docs/images/c.png>',
      '![alt text that wraps',
      'onto a second line](docs/images/wrapped.png)',
    ].join('\n');
    expect(localImageReferences(markdown)).toEqual([
      'docs/images/overview.png',
      'docs/images/digest.png',
      'docs/images/wrapped.png',
      'docs/images/a.png',
      'docs/images/b.png',
      'docs/images/c.png',
    ]);
  });

  it('leaves out code blocks, code spans and addresses elsewhere, and lists each file once', () => {
    const markdown = [
      '```md',
      '![in a fence](docs/images/fenced.png)',
      '```',
      'Write `![like this](docs/images/spanned.png)` to show one.',
      '![badge](https://img.shields.io/badge/x.svg) ![cdn](//cdn.example/x.png)',
      '![once](docs/images/x.png) ![twice](docs/images/x.png#dark) ![escaped](docs/images/a%20b.png)',
    ].join('\n');
    expect(localImageReferences(markdown)).toEqual(['docs/images/x.png', 'docs/images/a b.png']);
  });
});

describe('README.md', () => {
  let shown: string[];

  beforeAll(async () => {
    shown = localImageReferences(await readFile(path.join(REPO, 'README.md'), 'utf8'));
  });

  it('shows images', () => {
    expect(shown.length).toBeGreaterThan(0);
  });

  it('shows only files that are in the repository', () => {
    expect(shown.filter((reference) => !existsSync(path.join(REPO, reference)))).toEqual([]);
  });

  it('shows only PNGs that decode, of a size a page can show and git can keep', async () => {
    const present = shown.filter((reference) => existsSync(path.join(REPO, reference)));
    const problems = await Promise.all(present.map((reference) => pngProblems(path.join(REPO, reference))));
    expect(present.filter((reference) => !reference.endsWith('.png'))).toEqual([]);
    expect(problems.flat()).toEqual([]);
  });

  it('shows every image npm run docs:images makes', () => {
    const made = DOC_IMAGES.map((image) => `docs/images/${image.file}`);
    expect(made.filter((file) => !shown.includes(file))).toEqual([]);
  });
});

describe('DOC_IMAGES', () => {
  it('names each file once', () => {
    const files = DOC_IMAGES.map((image) => image.file);
    expect(new Set(files).size).toBe(files.length);
  });
});

/**
 * The demo's HTML preview in a real browser (Debian's Chromium through playwright-core): every step is
 * drawn with its content and its images, and `npm run docs:images` can cut each of its images from it,
 * the same bytes twice. Without Chromium it says so and skips; CI has none.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { type DemoReport, runDemo } from '../../../dev/demo/demo';
import { CHROMIUM_PATH, chromiumInstalled, launchChromium } from '../../../dev/docs-images/chromium';
import { cutDocImages } from '../../../dev/docs-images/cut';
import { DOC_IMAGES } from '../../../dev/docs-images/images';
import { openPreview } from '../../../dev/docs-images/preview-page';
import { pngProblems } from './png-file';

/** The little of an `<img>` the page-side check reads (the project's TypeScript has no DOM types). */
interface InPageImage {
  complete: boolean;
  naturalWidth: number;
}

const available = chromiumInstalled();
if (!available) {
  console.log(
    `Browser test of the demo's preview skipped: no Chromium at ${CHROMIUM_PATH}; run \`apt-get install chromium\` to enable it.`,
  );
}

(available ? describe : describe.skip)("the demo's preview in Chromium", () => {
  const folders: string[] = [];
  let report: DemoReport;
  let browser: Browser | undefined;
  let page: Page;
  let previewDir: string;

  const folder = async (prefix: string) => {
    const made = await mkdtemp(path.join(tmpdir(), prefix));
    folders.push(made);
    return made;
  };

  beforeAll(async () => {
    previewDir = await folder('viam-preview-');
    // Started together: the demo takes seconds, the browser under one.
    const [ran, launched] = await Promise.all([
      runDemo({ outDir: previewDir, write: () => undefined }),
      launchChromium(),
    ]);
    report = ran;
    browser = launched;
    page = await openPreview(browser, path.join(previewDir, 'index.html'));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all(folders.map((each) => rm(each, { recursive: true, force: true })));
  });

  it('comes from a demo whose every step passed', () => {
    expect(report.failedSteps).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('has a section for each step of the demo', async () => {
    expect(await page.locator('section.step').count()).toBe(report.steps.length);
  });

  it('draws every step visibly, with more in it than its heading', async () => {
    const sections = page.locator('section.step');
    const badlyDrawn: string[] = [];
    for (const [index, step] of report.steps.entries()) {
      const section = sections.nth(index);
      const box = await section.boundingBox();
      // What the step shows below its heading (messages, modals, notes, checks), counting only what is drawn.
      const shown = section.locator(':scope > :not(h2)').filter({ visible: true });
      const text = (await shown.allTextContents()).join('').trim();
      if (!(await section.isVisible()) || !box || box.width === 0 || box.height === 0) {
        badlyDrawn.push(`${step.slug}: not visible`);
      } else if (text === '') badlyDrawn.push(`${step.slug}: nothing but its heading`);
    }
    expect(badlyDrawn).toEqual([]);
  });

  it('loads every image a step shows', async () => {
    const sections = page.locator('section.step');
    const broken: string[] = [];
    for (const [index, step] of report.steps.entries()) {
      const images = sections.nth(index).locator('img');
      for (let at = 0; at < (await images.count()); at += 1) {
        const image = images.nth(at);
        const loaded = await image.evaluate((img: InPageImage) => img.complete && img.naturalWidth > 0);
        if (!loaded) broken.push(`${step.slug}: ${await image.getAttribute('src')}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('says which step and selector failed when an image cannot be cut', async () => {
    const outDir = await folder('viam-docs-images-');
    const cutOne = (step: string, selector: string) =>
      cutDocImages({ page, steps: report.steps, previewDir, outDir, images: [{ file: 'x.png', step, selector }] });
    await expect(cutOne('overview', '.no-such-thing')).rejects.toThrow(
      'x.png: the demo\'s "overview" step shows nothing matching .no-such-thing.',
    );
    await expect(cutOne('no-such-step', '.msg')).rejects.toThrow(
      'The demo has no step "no-such-step"; its steps are: ',
    );
  });

  it('yields every image of docs:images, as a README-worthy PNG, the same bytes on a second cut', async () => {
    const [first, second] = [await folder('viam-docs-images-'), await folder('viam-docs-images-')];
    const cutInto = (outDir: string) => cutDocImages({ page, steps: report.steps, previewDir, outDir });
    const cut = await cutInto(first);
    await cutInto(second);

    expect(cut.map((image) => image.file)).toEqual(DOC_IMAGES.map((image) => image.file));
    const problems = await Promise.all(cut.map((image) => pngProblems(image.path)));
    expect(problems.flat()).toEqual([]);
    const differing: string[] = [];
    for (const image of cut) {
      const [a, b] = await Promise.all([readFile(image.path), readFile(path.join(second, image.file))]);
      if (!a.equals(b)) differing.push(image.file);
    }
    expect(differing).toEqual([]);
  }, 30_000);
});

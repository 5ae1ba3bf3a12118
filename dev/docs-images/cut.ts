/**
 * Cuts the images of `DOC_IMAGES` out of the demo's preview, open in a browser tab, into a folder.
 */
import { copyFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { DOC_IMAGES, type DocImage } from './images';
import { stepSection } from './step-section';

/**
 * White space kept around a message: a little less than the preview's 8-pixel gap to its neighbours, so no
 * edge of the one above (a note's coloured border) gets in.
 */
const MARGIN_PX = 6;

export interface CutOptions {
  page: Page;
  /** The demo report's steps, in the order the preview shows them. */
  steps: readonly { slug: string }[];
  /** The demo's output folder (index.html and the files it links to). */
  previewDir: string;
  /** Where the PNGs go. */
  outDir: string;
  images?: readonly DocImage[];
}

export interface CutImage {
  file: string;
  path: string;
  bytes: number;
}

export class NothingToCutError extends Error {}

/** The little of the DOM the page-side code below uses (the project's TypeScript has no DOM types). */
interface InPageElement {
  getBoundingClientRect(): { left: number; top: number; width: number; height: number };
}
interface InPageWindow {
  scrollX: number;
  scrollY: number;
}

export async function cutDocImages(options: CutOptions): Promise<CutImage[]> {
  const cut: CutImage[] = [];
  for (const image of options.images ?? DOC_IMAGES) {
    const target = await findTarget(options, image);
    const destination = path.join(options.outDir, image.file);
    if (image.cut === 'linked-file') await copyLinkedFile(target, options.previewDir, destination);
    else await writeFile(destination, await screenshotWithMargin(options.page, target));
    cut.push({ file: image.file, path: destination, bytes: (await stat(destination)).size });
  }
  return cut;
}

async function findTarget(options: CutOptions, image: DocImage): Promise<Locator> {
  const matches = stepSection(options.page, options.steps, image.step).locator(image.selector);
  if ((await matches.count()) === 0) {
    throw new NothingToCutError(
      `${image.file}: the demo's "${image.step}" step shows nothing matching ${image.selector}.`,
    );
  }
  return matches.first();
}

async function screenshotWithMargin(page: Page, target: Locator): Promise<Buffer> {
  // In page coordinates, which a full-page screenshot's clip is in, however far the page is scrolled.
  const box = await target.evaluate((element: InPageElement) => {
    const rect = element.getBoundingClientRect();
    const view = globalThis as unknown as InPageWindow;
    return { x: rect.left + view.scrollX, y: rect.top + view.scrollY, width: rect.width, height: rect.height };
  });
  const x = Math.max(0, Math.floor(box.x - MARGIN_PX));
  const y = Math.max(0, Math.floor(box.y - MARGIN_PX));
  return page.screenshot({
    fullPage: true,
    clip: {
      x,
      y,
      width: Math.ceil(box.x + box.width + MARGIN_PX) - x,
      height: Math.ceil(box.y + box.height + MARGIN_PX) - y,
    },
    animations: 'disabled',
    caret: 'hide',
    scale: 'device',
    type: 'png',
  });
}

async function copyLinkedFile(link: Locator, previewDir: string, destination: string): Promise<void> {
  const href = await link.getAttribute('href');
  if (!href) throw new NothingToCutError(`${path.basename(destination)}: the matched element links to nothing.`);
  // The preview links to files beside it; anything else is not the demo's to copy.
  const source = path.resolve(previewDir, decodeURI(href));
  if (path.dirname(source) !== path.resolve(previewDir)) {
    throw new NothingToCutError(`${path.basename(destination)}: ${href} is not a file the demo saved.`);
  }
  await copyFile(source, destination);
}

/**
 * The demo's `index.html` opened in a browser tab whose every setting that could change a pixel is pinned,
 * so two runs on one machine cut byte-identical images.
 */
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';

/** Wide enough for the preview's 860-pixel column, so messages wrap as they do on a desktop. */
export const PREVIEW_VIEWPORT = { width: 900, height: 900 } as const;

/**
 * Sharper than the page itself where GitHub shrinks a README image to its column, while keeping the
 * tallest image, the digest, near 160 KB (at 2 it is past 300 KB).
 */
export const PREVIEW_SCALE = 1.25;

export async function openPreview(browser: Browser, indexHtml: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: PREVIEW_VIEWPORT,
    deviceScaleFactor: PREVIEW_SCALE,
    colorScheme: 'light',
    reducedMotion: 'reduce',
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  const page = await context.newPage();
  await page.goto(pathToFileURL(indexHtml).href, { waitUntil: 'load' });
  // Text laid out in a fallback font and then again in the real one would make the images differ.
  await page.evaluate('document.fonts.ready.then(() => true)');
  return page;
}

/**
 * `npm run docs:images`: runs the offline demo into a temporary folder, opens its HTML preview in Debian's
 * Chromium (with Debian's colour emoji font) and cuts the README's screenshots into `docs/images/` (the list
 * is in images.ts). The demo's clock is fixed, so a rerun on the same machine writes the same bytes; another
 * Chromium or other system fonts change pixels, so commit images made on one machine together.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runDemo } from '../demo/demo';
import { chromiumInstalled, INSTALL_CHROMIUM, launchChromium } from './chromium';
import { cutDocImages } from './cut';
import { emojiFontInstalled, INSTALL_EMOJI_FONT } from './emoji-font';
import { openPreview } from './preview-page';

const IMAGES_DIR = path.join(__dirname, '../../docs/images');

/** As in the demo: everything was stopped, so this only guards against a stray handle keeping the process. */
const EXIT_GRACE_MS = 2_000;

async function main(): Promise<number> {
  // Checked first: the demo takes seconds, and its images would be of no use without these.
  if (!chromiumInstalled()) {
    console.error(INSTALL_CHROMIUM);
    return 1;
  }
  if (!emojiFontInstalled()) {
    console.error(INSTALL_EMOJI_FONT);
    return 1;
  }
  const previewDir = await mkdtemp(path.join(tmpdir(), 'viam-docs-images-'));
  try {
    process.stdout.write('Running the demo for its HTML preview…\n');
    const report = await runDemo({ outDir: previewDir, write: () => undefined });
    if (!report.ok) {
      console.error(`The demo failed at ${report.failedSteps.join(', ')}; \`npm run demo\` shows why.`);
      return 1;
    }
    const browser = await launchChromium();
    try {
      const page = await openPreview(browser, path.join(previewDir, 'index.html'));
      await mkdir(IMAGES_DIR, { recursive: true });
      const images = await cutDocImages({ page, steps: report.steps, previewDir, outDir: IMAGES_DIR });
      for (const image of images) {
        process.stdout.write(`${path.relative(process.cwd(), image.path)}  ${Math.round(image.bytes / 1024)} KB\n`);
      }
    } finally {
      await browser.close();
    }
    return 0;
  } catch (error) {
    console.error(`docs:images: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await rm(previewDir, { recursive: true, force: true });
  }
}

void main().then((code) => {
  process.exitCode = code;
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
});

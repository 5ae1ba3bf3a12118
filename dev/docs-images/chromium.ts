/**
 * The browser behind `npm run docs:images` and the preview's browser test: Debian's `chromium` package,
 * driven by playwright-core. Playwright's own browser downloads are never used, so nothing but apt and
 * npm is needed.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const INSTALL_CHROMIUM = `Install Chromium: apt-get install chromium (none was found at ${CHROMIUM_PATH}).`;

export function chromiumInstalled(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export class ChromiumMissingError extends Error {
  constructor() {
    super(INSTALL_CHROMIUM);
  }
}

export async function launchChromium(): Promise<Browser> {
  if (!chromiumInstalled()) throw new ChromiumMissingError();
  return chromium.launch({ executablePath: CHROMIUM_PATH });
}

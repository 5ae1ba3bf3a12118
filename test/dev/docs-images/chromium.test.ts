/**
 * Without Chromium, `npm run docs:images` stops before any work with one sentence saying how to get it.
 */
import fs from 'node:fs';
import { CHROMIUM_PATH, ChromiumMissingError, launchChromium } from '../../../dev/docs-images/chromium';

afterEach(() => {
  jest.restoreAllMocks();
});

it('asks for Debian’s Chromium when it is not installed', async () => {
  jest.spyOn(fs, 'existsSync').mockImplementation((file) => file !== CHROMIUM_PATH);
  const launching = launchChromium();
  await expect(launching).rejects.toBeInstanceOf(ChromiumMissingError);
  await expect(launching).rejects.toThrow(/^Install Chromium: apt-get install chromium \(.*\)\.$/);
});

/**
 * The app's messages carry emoji (⚠️, 📈, 🔍…). Chromium draws them from the system's fonts, and Debian's
 * default fonts have none of the colour ones, which would leave empty boxes in the screenshots.
 */
import { existsSync } from 'node:fs';

export const EMOJI_FONT_PATH = '/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf';

export const INSTALL_EMOJI_FONT = `Install an emoji font, or emoji come out as empty boxes: apt-get install fonts-noto-color-emoji (none was found at ${EMOJI_FONT_PATH}).`;

export function emojiFontInstalled(): boolean {
  return existsSync(EMOJI_FONT_PATH);
}

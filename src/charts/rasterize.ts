/**
 * SVG to PNG in-process with resvg. Fonts are given as files from the `dejavu-fonts-ttf` package and
 * system fonts are never read, so a chart renders the same on every machine, containers included.
 */
import { renderAsync } from '@resvg/resvg-js';
import { BACKGROUND } from './palette';

const FONT_FILES = [
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
];

/** Renders off the main thread (resvg's async API), so a chart never stalls other requests. */
export async function rasterize(svg: string): Promise<Buffer> {
  const image = await renderAsync(svg, {
    font: {
      loadSystemFonts: false,
      fontFiles: FONT_FILES,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
    background: BACKGROUND,
    logLevel: 'off',
  });
  return image.asPng();
}

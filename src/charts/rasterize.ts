/**
 * SVG to PNG with resvg on a thread of its own (src/charts/render-thread.ts), so drawing a chart never
 * takes the event loop's time from acks and text digests and a second core does the work.
 *
 * Fonts are subsets of the `dejavu-fonts-ttf` package kept beside this file
 * (`scripts/subset-chart-fonts.sh`): resvg shapes each label with the whole face's layout tables, and
 * the full faces cost about three times as much for the same pixels. System fonts are never read, so a
 * chart renders the same on every machine, containers included.
 */
import path from 'node:path';
import { BACKGROUND } from './palette';
import { RenderThread } from './render-thread';

/**
 * The SVG is drawn at 1200×675; the PNG is 800×450: its 22 px labels stay about 15 px, with 31% fewer
 * pixels to draw and encode than at 960×540. (A probe of resvg alone took 20 ms against 24; the digest
 * benchmark's CPU per chart, which counts everything around the drawing too, did not show a gain.)
 */
export const PNG_WIDTH = 800;

export const CHART_FONT_FILES = [
  path.join(__dirname, 'fonts', 'DejaVuSans.ttf'),
  path.join(__dirname, 'fonts', 'DejaVuSans-Bold.ttf'),
];

const RENDER_OPTIONS = {
  font: {
    loadSystemFonts: false,
    fontFiles: CHART_FONT_FILES,
    defaultFontFamily: 'DejaVu Sans',
    sansSerifFamily: 'DejaVu Sans',
  },
  background: BACKGROUND,
  fitTo: { mode: 'width', value: PNG_WIDTH },
  logLevel: 'off',
} as const;

let shared: RenderThread | undefined;

/** Renders on the shared render thread, started on first use. */
export function rasterize(svg: string): Promise<Buffer> {
  shared ??= new RenderThread(RENDER_OPTIONS);
  return shared.render(svg);
}

/** Ends the shared render thread (shutdown); a later rasterize starts a new one. */
export async function closeRasterizer(): Promise<void> {
  const thread = shared;
  shared = undefined;
  await thread?.close();
}

/**
 * The chart's canvas: 16:9, laid out at 1200×675 and rasterized at 800×450 (src/charts/rasterize.ts),
 * about the size Slack previews images at, so 22 px text (17.6 px in the PNG) stays readable.
 */

export const WIDTH = 1200;
export const HEIGHT = 675;
export const FONT_FAMILY = 'DejaVu Sans';

export const TEXT_SIZE = 22;
export const HEADING_SIZE = 24;
export const TITLE_SIZE = 32;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const BAR_PANEL: Box = { x: 40, y: 130, width: 360, height: 520 };
export const LINE_PANEL: Box = { x: 440, y: 130, width: 730, height: 530 };

/** DejaVu Sans averages about 0.55 em per character; enough to lay out legends and labels without measuring. */
export function approxTextWidth(content: string, size: number): number {
  return Array.from(content).length * size * 0.55;
}

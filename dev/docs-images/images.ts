/**
 * The screenshots in `docs/images/` and where `npm run docs:images` cuts each one from the demo's HTML
 * preview. Adding an image is one line here (and a reference in README.md).
 */

export interface DocImage {
  /** The file's name in `docs/images/`. */
  file: `${string}.png`;
  /** The tour step that shows it: a slug from dev/demo/tour.ts. */
  step: string;
  /**
   * What to cut from that step's `<section class="step">`: Playwright's CSS, so `:has-text("…")` can tell
   * two messages of one step apart. The first match is taken.
   */
  selector: string;
  /**
   * `screenshot` (the default): the element as the browser draws it. `linked-file`: the selector matches a
   * link to a file the demo saved (the chart), and that file is copied byte for byte as the app made it.
   */
  cut?: 'screenshot' | 'linked-file';
}

export const DOC_IMAGES: readonly DocImage[] = [
  { file: 'overview.png', step: 'overview', selector: '.msg' },
  { file: 'weekly-digest.png', step: 'digest-scheduled', selector: '.msg:has-text("Weekly Viam digest")' },
  { file: 'budget-alert.png', step: 'alerts-check', selector: '.msg:has-text("Budget alert")' },
  { file: 'anomaly-alert.png', step: 'alerts-check', selector: '.msg:has-text("Unusual spend")' },
  // The chart the digest shares, once the budget is set, so it draws the budget line too. The preview shows it
  // inline as well, but scaled to its column: the app's own file is sharper.
  { file: 'chart.png', step: 'digest-now', selector: 'a[href$=".png"]', cut: 'linked-file' },
  { file: 'app-home.png', step: 'home', selector: '.home-tab' },
];

/**
 * Figures that got worse since the committed results (docs/benchmarks.json). Compared are the numbers
 * in each benchmark's `raw` whose better direction the name tells: times (`…Ms`, `p50`, `p99`, `max`),
 * memory (`…MiB`, `…Bytes`), CPU, ratios, duplicates and lost updates are better lower; rates and
 * throughputs (`…PerSecond`, `…PerSec`) better higher. Counts and settings are not figures and are
 * left alone. List items are matched by their `ratePerSecond` where they have one, else by position.
 */
import type { BenchmarkResult } from './benchmark';

export interface Regression {
  benchmark: string;
  /** Where in `raw`, e.g. `backends.sqlite.dueWallMs` or `openLoop[rate=150].ourP99Ms`. */
  path: string;
  before: number;
  after: number;
  /** How much worse, as a fraction (0.25 = 25% worse). */
  worseBy: number;
}

export const REGRESSION_THRESHOLD = 0.2;

type Direction = 'lower' | 'higher';

const LOWER_IS_BETTER = [
  /Ms$/,
  /^cpuMs/,
  /MiB$/,
  /Bytes$/,
  /^p50$/,
  /^p99$/,
  /^max$/,
  /Ratio$/,
  /^duplicates$/,
  /^lostUpdates$/,
];
const HIGHER_IS_BETTER = [/PerSecond$/, /PerSec$/];
/** Keys that look like figures but describe the run or its input. */
const NOT_FIGURES = new Set([
  'durationMs',
  'warmup',
  'turn',
  'requests',
  'concurrency',
  'ratePerSecond',
  'commands',
  'count',
  'workspaces',
  // How long the bench took to set up its data, not how the app did.
  'seedMs',
]);

/** A key's own direction; 'none' for a key that is not a figure, whatever its parent is; undefined to inherit the parent's. */
function directionOf(key: string): Direction | 'none' | undefined {
  if (NOT_FIGURES.has(key)) return 'none';
  if (LOWER_IS_BETTER.some((pattern) => pattern.test(key))) return 'lower';
  if (HIGHER_IS_BETTER.some((pattern) => pattern.test(key))) return 'higher';
  return undefined;
}

/** Every figure of `after` more than `threshold` worse than the same figure in `before`. */
export function findRegressions(
  before: readonly BenchmarkResult[],
  after: readonly BenchmarkResult[],
  threshold = REGRESSION_THRESHOLD,
): Regression[] {
  const found: Regression[] = [];
  for (const result of after) {
    const previous = before.find((candidate) => candidate.name === result.name);
    if (!previous || result.error || previous.error) continue;
    compare(previous.raw, result.raw, '', undefined, (path, was, now, direction) => {
      const worseBy = direction === 'lower' ? (now - was) / was : (was - now) / was;
      if (worseBy > threshold) found.push({ benchmark: result.name, path, before: was, after: now, worseBy });
    });
  }
  return found;
}

type Visit = (path: string, before: number, after: number, direction: Direction) => void;

function compare(
  before: unknown,
  after: unknown,
  path: string,
  direction: Direction | 'none' | undefined,
  visit: Visit,
): void {
  if (typeof before === 'number' && typeof after === 'number') {
    // A zero before has no fraction to be worse by; a figure that was 0 and is no longer is still found by its target.
    if (
      direction !== undefined &&
      direction !== 'none' &&
      Number.isFinite(before) &&
      Number.isFinite(after) &&
      before > 0
    )
      visit(path, before, after, direction);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    after.forEach((item, index) => {
      const rate = rateOf(item);
      const match = rate === undefined ? before[index] : before.find((candidate) => rateOf(candidate) === rate);
      compare(match, item, `${path}[${rate === undefined ? index : `rate=${rate}`}]`, direction, visit);
    });
    return;
  }
  if (isRecord(before) && isRecord(after)) {
    for (const [key, value] of Object.entries(after)) {
      if (key === 'machine') continue;
      compare(before[key], value, path === '' ? key : `${path}.${key}`, directionOf(key) ?? direction, visit);
    }
  }
}

function rateOf(item: unknown): number | undefined {
  return isRecord(item) && typeof item.ratePerSecond === 'number' ? item.ratePerSecond : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One line per regression, for the terminal and the notes. */
export function describeRegression(regression: Regression): string {
  const percent = Math.round(regression.worseBy * 100);
  const shown = (value: number) => Number(value.toPrecision(4));
  return `${regression.benchmark}: ${regression.path} ${shown(regression.before)} → ${shown(regression.after)} (${percent}% worse)`;
}

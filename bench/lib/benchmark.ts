import type { ScaleStore } from './options';
/** What each benchmark is and what it reports. */

/** One row of the results table. */
export interface Figure {
  measure: string;
  result: string;
  /** The target as written in the issue, e.g. `≤ 1.2`; `—` when the figure is for information. */
  target: string;
  /** Undefined for figures without a target. */
  pass?: boolean;
}

export interface BenchmarkOutcome {
  figures: Figure[];
  /** Raw numbers for docs/benchmarks.json. */
  raw: Record<string, unknown>;
  /** What was run and what explains the numbers (a likely cause when a target is missed). */
  notes: string[];
}

/** Options from the command line that benchmarks read (see lib/options.ts). */
export interface RunOptions {
  /** `--workspaces N`: how many workspaces the scale benchmark seeds. */
  workspaces?: number;
  /** `--stores …`: the stores the scale benchmark runs on, of those the environment offers. */
  stores?: ScaleStore[];
}

export interface BenchContext {
  /** A temporary folder of this bench run, removed at the end. */
  workDir: string;
  options: RunOptions;
  /** Progress lines on stderr, so stdout stays the results table. */
  log(message: string): void;
}

export interface Benchmark {
  /** What `npm run bench -- <name>` selects. */
  name: string;
  title: string;
  /**
   * Run only when named (it needs servers or a long time); a full run keeps its last entry in
   * docs/benchmarks.{md,json} instead.
   */
  optIn?: boolean;
  run(context: BenchContext): Promise<BenchmarkOutcome>;
}

export interface BenchmarkResult extends BenchmarkOutcome {
  name: string;
  title: string;
  durationMs: number;
  /** Set when the benchmark could not finish; its figures are then missing. */
  error?: string;
}

/**
 * The compiled builds the bench measures: the app as `npm run build` makes it (dist/), and the bench's
 * own workers compiled with the app's sources beside them (dist-bench/), so a worker measures the
 * JavaScript users run rather than tsx's hook transpiling in the process.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './processes';

/** `npm run build`: the app into dist/, fonts included. */
export function buildApp(): void {
  compile(['-p', 'tsconfig.build.json'], 'dist', 'npm run build');
}

/** bench/processes/digest-worker.ts and what it imports, into a fresh dist-bench/ (no stale module left behind). */
export function buildBenchWorkers(): void {
  rmSync(path.join(REPO_ROOT, 'dist-bench'), { recursive: true, force: true });
  compile(['-p', 'bench/tsconfig.workers.json'], 'dist-bench', 'compiling the bench workers');
}

function compile(tscArgs: string[], outDir: string, what: string): void {
  const tsc = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsc');
  const built = spawnSync(tsc, tscArgs, { cwd: REPO_ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`${what} failed: ${(built.stdout + built.stderr).trim().slice(0, 2000)}`);
  const copied = spawnSync(process.execPath, ['scripts/copy-build-assets.js', outDir], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (copied.status !== 0) throw new Error(`${what} failed to copy the fonts: ${copied.stderr.trim()}`);
}

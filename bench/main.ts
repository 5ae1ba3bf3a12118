/**
 * `npm run bench`: runs the six measurements of docs/benchmarks.md side by side in one run and
 * rewrites docs/benchmarks.md and docs/benchmarks.json. `npm run bench -- <name> [<name>…]` runs only
 * those and prints their table without touching docs/. See bench/README.md.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ackLatency } from './benchmarks/ack-latency';
import { authenticateCalls } from './benchmarks/authenticate-calls';
import { digestFanout } from './benchmarks/digest-fanout';
import { invoicePdf } from './benchmarks/invoice-pdf';
import { overviewLatency } from './benchmarks/overview-latency';
import { startup } from './benchmarks/startup';
import type { Benchmark, BenchmarkResult } from './lib/benchmark';
import { describeMachine, endLoad } from './lib/machine';
import { killStartedChildren, REPO_ROOT } from './lib/processes';
import { renderJson, renderMarkdown, renderTable } from './lib/report';

const BENCHMARKS: readonly Benchmark[] = [
  ackLatency,
  overviewLatency,
  authenticateCalls,
  digestFanout,
  invoicePdf,
  startup,
];

const USAGE = `Usage: npm run bench [-- <name>...]

Runs every benchmark and rewrites docs/benchmarks.md and docs/benchmarks.json,
or only the named ones (printed, docs/ left alone). Names:
${BENCHMARKS.map((benchmark) => `  ${benchmark.name.padEnd(10)} ${benchmark.title}`).join('\n')}`;

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const unknown = argv.filter((name) => !BENCHMARKS.some((benchmark) => benchmark.name === name));
  if (unknown.length > 0) {
    console.error(`bench: unknown benchmark ${unknown.join(', ')}\n\n${USAGE}`);
    return 2;
  }
  const selected = argv.length === 0 ? BENCHMARKS : BENCHMARKS.filter((benchmark) => argv.includes(benchmark.name));
  const machine = describeMachine();
  const workDir = await mkdtemp(path.join(tmpdir(), 'viam-billing-bench-'));
  const results: BenchmarkResult[] = [];
  try {
    for (const benchmark of selected) {
      const log = (message: string) => console.error(`[${benchmark.name}] ${message}`);
      log(`${benchmark.title}…`);
      const started = performance.now();
      try {
        const outcome = await benchmark.run({ workDir, log });
        results.push({
          name: benchmark.name,
          title: benchmark.title,
          durationMs: performance.now() - started,
          ...outcome,
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log(`failed: ${message}`);
        results.push({
          name: benchmark.name,
          title: benchmark.title,
          durationMs: performance.now() - started,
          figures: [],
          raw: {},
          notes: [],
          error: message,
        });
      }
    }
  } finally {
    killStartedChildren();
    await rm(workDir, { recursive: true, force: true });
  }
  const finished = endLoad(machine);
  console.log(renderTable(results));
  if (selected === BENCHMARKS) {
    await writeFile(path.join(REPO_ROOT, 'docs', 'benchmarks.md'), renderMarkdown(results, finished));
    await writeFile(path.join(REPO_ROOT, 'docs', 'benchmarks.json'), renderJson(results, finished));
    console.error('bench: wrote docs/benchmarks.md and docs/benchmarks.json');
  }
  return results.some((result) => result.error) ? 1 : 0;
}

process.on('exit', killStartedChildren);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);

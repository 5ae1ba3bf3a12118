/**
 * `npm run bench`: runs the six measurements of docs/benchmarks.md side by side in one run and
 * rewrites docs/benchmarks.md and docs/benchmarks.json (keeping the last entry of each opt-in
 * benchmark, such as `scale`). `npm run bench -- <name> [<name>…]` runs only those and prints their
 * table without touching docs/ unless `--docs` is given. See bench/README.md.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ackLatency } from './benchmarks/ack-latency';
import { authenticateCalls } from './benchmarks/authenticate-calls';
import { digestFanout } from './benchmarks/digest-fanout';
import { invoicePdf } from './benchmarks/invoice-pdf';
import { overviewLatency } from './benchmarks/overview-latency';
import { scale } from './benchmarks/scale';
import { startup } from './benchmarks/startup';
import type { Benchmark, BenchmarkResult } from './lib/benchmark';
import { describeMachine, endLoad, type MachineInfo } from './lib/machine';
import { parseBenchArgs } from './lib/options';
import { killStartedChildren, REPO_ROOT } from './lib/processes';
import { describeRegression, findRegressions, REGRESSION_THRESHOLD } from './lib/regressions';
import { mergeResults, renderJson, renderMarkdown, renderResultJson, renderTable } from './lib/report';

const BENCHMARKS: readonly Benchmark[] = [
  ackLatency,
  overviewLatency,
  authenticateCalls,
  digestFanout,
  invoicePdf,
  startup,
  scale,
];

const DOCS_MD = path.join(REPO_ROOT, 'docs', 'benchmarks.md');
const DOCS_JSON = path.join(REPO_ROOT, 'docs', 'benchmarks.json');

const USAGE = `Usage: npm run bench [-- <name>...] [--workspaces N] [--stores LIST] [--json FILE] [--docs]

With no names, runs every benchmark but the opt-in ones and rewrites docs/benchmarks.md and
docs/benchmarks.json (opt-in benchmarks keep their last entry there). With names, runs only
those and prints their table. Names:
${BENCHMARKS.map((benchmark) => `  ${benchmark.name.padEnd(10)} ${benchmark.title}${benchmark.optIn ? ' (opt-in)' : ''}`).join('\n')}

Options:
  --workspaces N   workspaces the scale benchmark seeds (default 100,000)
  --stores LIST    the stores the scale benchmark runs on, of sqlite,redis,postgres (default every
                   one the environment offers: SQLite always, Redis and PostgreSQL with their URLs)
  --json FILE      write this run's results as JSON (one benchmark: its result itself)
  --docs           merge this run's results into docs/benchmarks.md and docs/benchmarks.json`;

async function previousDocs(): Promise<{ machine?: MachineInfo; benchmarks: BenchmarkResult[] }> {
  try {
    const parsed = JSON.parse(await readFile(DOCS_JSON, 'utf8')) as {
      machine?: MachineInfo;
      benchmarks?: BenchmarkResult[];
    };
    return { ...(parsed.machine ? { machine: parsed.machine } : {}), benchmarks: parsed.benchmarks ?? [] };
  } catch {
    return { benchmarks: [] };
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseBenchArgs(argv);
  if ('error' in args) {
    console.error(`bench: ${args.error}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const unknown = args.names.filter((name) => !BENCHMARKS.some((benchmark) => benchmark.name === name));
  if (unknown.length > 0) {
    console.error(`bench: unknown benchmark ${unknown.join(', ')}\n\n${USAGE}`);
    return 2;
  }
  const full = args.names.length === 0;
  const selected = full
    ? BENCHMARKS.filter((benchmark) => !benchmark.optIn)
    : BENCHMARKS.filter((benchmark) => args.names.includes(benchmark.name));
  const machine = describeMachine();
  const workDir = await mkdtemp(path.join(tmpdir(), 'viam-billing-bench-'));
  const results: BenchmarkResult[] = [];
  const options = {
    ...(args.workspaces === undefined ? {} : { workspaces: args.workspaces }),
    ...(args.stores === undefined ? {} : { stores: args.stores }),
  };
  try {
    for (const benchmark of selected) {
      const log = (message: string) => console.error(`[${benchmark.name}] ${message}`);
      log(`${benchmark.title}…`);
      const started = performance.now();
      try {
        const outcome = await benchmark.run({ workDir, log, options });
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
  // An opt-in benchmark's entry outlives full runs, so it says itself when and where it ran.
  for (const result of results) {
    if (!BENCHMARKS.find((benchmark) => benchmark.name === result.name)?.optIn) continue;
    result.raw = { ...result.raw, machine: finished };
    result.notes.push(
      `Run on its own (\`npm run bench -- ${result.name}\`) on ${finished.date.slice(0, 10)} on ${finished.cores} cores of ${finished.cpuModel} (its own machine description is in docs/benchmarks.json); load average (1 min) ${finished.loadAverage.start} at its start, ${finished.loadAverage.end ?? '?'} at its end.`,
    );
  }
  // Every run measures itself against the committed results; what got more than 20% worse is said, not hidden.
  const committed = await previousDocs();
  const regressions = findRegressions(committed.benchmarks, results);
  for (const result of results) {
    const own = regressions.filter((regression) => regression.benchmark === result.name);
    if (own.length > 0) {
      result.notes.push(
        `More than ${REGRESSION_THRESHOLD * 100}% worse than the committed results: ${own.map(describeRegression).join('; ')}.`,
      );
    }
  }
  console.log(renderTable(results));
  if (regressions.length > 0) {
    console.error(
      `bench: ${regressions.length} figures are more than ${REGRESSION_THRESHOLD * 100}% worse than in docs/benchmarks.json:`,
    );
    for (const regression of regressions) console.error(`  ${describeRegression(regression)}`);
  }
  if (args.json) {
    await writeFile(path.resolve(args.json), renderResultJson(results, finished));
    console.error(`bench: wrote ${args.json}`);
  }
  if (full || args.docs) {
    const previous = committed;
    const order = BENCHMARKS.map((benchmark) => benchmark.name);
    // A full run replaces everything it ran; an opt-in entry it did not run is kept. --docs replaces only what ran.
    const merged = mergeResults(previous.benchmarks, results, order);
    const header = full || !previous.machine ? finished : previous.machine;
    await writeFile(DOCS_MD, renderMarkdown(merged, header));
    await writeFile(DOCS_JSON, renderJson(merged, header));
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

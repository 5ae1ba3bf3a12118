/**
 * `npm run bench:profile -- FILE.cpuprofile [--top N]`: the functions and the packages (or app
 * folders) that took the most CPU in a profile written by `node --cpu-prof`, by self time. Used with
 * `BENCH_CPU_PROF=<folder>` (see bench/README.md), which has the bench's app processes write one.
 */
import { readFile } from 'node:fs/promises';
import { type CpuProfile, summarizeProfile } from '../lib/cpu-profile';

async function main(argv: readonly string[]): Promise<number> {
  const file = argv.find((arg) => !arg.startsWith('--'));
  const topAt = argv.indexOf('--top');
  const top = topAt >= 0 ? Number(argv[topAt + 1]) : 15;
  if (!file || !Number.isInteger(top) || top < 1) {
    console.error('Usage: npm run bench:profile -- FILE.cpuprofile [--top N]');
    return 2;
  }
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const summary = summarizeProfile(profile, top);
  const percent = (ms: number) => `${((100 * ms) / summary.totalMs).toFixed(1)}%`.padStart(6);
  console.log(`${summary.totalMs.toFixed(0)} ms sampled (${summary.idleMs.toFixed(0)} ms idle)\n`);
  console.log('By package or app folder (self time):');
  for (const row of summary.byOwner)
    console.log(`${percent(row.selfMs)}  ${row.selfMs.toFixed(0).padStart(6)} ms  ${row.name}`);
  console.log('\nBy function (self time):');
  for (const row of summary.byFunction)
    console.log(`${percent(row.selfMs)}  ${row.selfMs.toFixed(0).padStart(6)} ms  ${row.name}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);

/**
 * The notes under the scale rows in docs/benchmarks.md: what was run, then one line per backend with
 * the numbers behind its figures, then a likely cause for each miss, read off those numbers.
 */
import { round } from '../stats';
import { QUIET_MS } from './plan';
import { type BackendName, type BackendResult, TARGETS } from './report';

const LABELS: Record<BackendName, string> = { sqlite: 'SQLite', redis: 'Redis', postgres: 'PostgreSQL' };

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function seconds(ms: number): string {
  return `${round(ms / 1000, 1)} s`;
}

interface Seeding {
  ms: number;
  records: number;
  logEntries: number;
  dueEntries: number;
  sampledReadBack: number;
}

export function scaleNotes(workspaces: number, backends: Partial<Record<BackendName, BackendResult>>): string[] {
  const notes = [
    `Each store was seeded with ${count(workspaces)} workspaces, each with a connected org (its API key sealed), a weekly digest schedule and its last two runs (posted), a budget, anomaly settings, seven days of usage snapshots, a budget alert this month (posted) and three audit entries (14 records and 3 log entries), plus the due-index entries the scheduling core reads: the digest's next occurrence and the org's next hourly check. The records are written by the app's own modules into memory, then bulk-loaded in each backend's own layout (an SQLite transaction, PostgreSQL array inserts, a Redis pipeline); before anything is measured a sample of workspaces is read back through the real store (org, unsealed key, schedule, runs, budget, settings, snapshots, audit, due times), with the due queues' sizes and the workspace index.`,
    `Redis ran in database 15 and PostgreSQL in a database of its own (\`<DATABASE_URL's database>_bench_scale\`, dropped afterwards), both on the servers named by REDIS_URL and DATABASE_URL, because the app always uses the namespace \`viam-billing\`, which tests share on those servers; each namespace was cleared after its run.`,
    `No seeded digest or hourly check fell due during a run: their next times lie at least ${QUIET_MS / 3_600_000} h after seeding. So the hourly org checks (at this size ${count(workspaces)} an hour, about ${round(workspaces / 3600, 0)} a second across the replicas) are not part of these figures.`,
    "Idle tick: a worker process (the bench's TypeScript hook, not the build) builds the digest and alert schedulers as src/app.ts does, on the seeded store, and ticks them at instants when nothing is due: both at once, as the app's two minute jobs fire together, timed until both finish; 100 ticks after 5 untimed ones, each series once at 10,000 workspaces and once at the full size. The < 50 ms target is judged on the slowest tick, the growth on the medians. A tick that took anything would fail the run.",
    `Due minute: ${count(Math.min(TARGETS.dueDigests, workspaces))} workspaces were each given a digest for a new channel at the coming minute, through the app's DigestSchedules (which sets its due time), then two replicas of the compiled app (\`node dist/src/main.js\`, HTTP mode, single-token mode with the Slack stand-in's bot token, DIGEST_CHARTS=off as the app documents for thousands of digests in one hour, default concurrency of 8 digests per replica, logs at info to nowhere) were started on the store, against the Viam emulator (one generated org per due workspace, each its own API key) and the Slack stand-in. Wall time runs from the due minute to the last digest's arrival at the stand-in; posts are counted per channel there, and the bench waits 10 s more for any duplicate.`,
    'Peak RSS is VmHWM from /proc (the most the process ever held), read after the access changes; the figure after the due digests alone is in the JSON.',
    'Lost updates: two seeded workspaces start with 250 viewers each; 1,000 signed `/viam-usage access add|remove @user` commands (per workspace 250 removing those viewers and 250 adding new people, so the list never passes the cap of 500) are shuffled, dealt to the two replicas in turn and sent all at once, as the connector of the workspaces. The final viewer lists are read from the store and compared with the expected ones (exactly the 250 added): a change the app confirmed but the store does not show is a lost update.',
  ];
  for (const [name, result] of Object.entries(backends) as Array<[BackendName, BackendResult]>) {
    notes.push(...backendNotes(LABELS[name], result));
  }
  return notes;
}

function backendNotes(label: string, result: BackendResult): string[] {
  if ('error' in result) return [`${label}: did not finish: ${result.error}`];
  const details = result.details;
  const seeding = details.seeding as Seeding;
  const cpu = (details.replicaCpuDuringDueMs as number[]) ?? [];
  const cpuTotal = cpu.reduce((sum, ms) => sum + ms, 0);
  const afterDue = (details.peakRssMiBAfterDuePerReplica as number[]) ?? [];
  const lines = [
    `${label}: seeded in ${seconds(seeding.ms)} (${count(seeding.records)} records, ${count(seeding.logEntries)} audit entries, ${count(seeding.dueEntries)} due entries; ${seeding.sampledReadBack} workspaces read back). Idle tick p50 / max: digest scheduler alone ${round(result.details.idleDigestTickMs.p50, 2)} / ${round(result.details.idleDigestTickMs.max, 2)} ms, alert scheduler alone ${round(result.details.idleAlertTickMs.p50, 2)} / ${round(result.details.idleAlertTickMs.max, 2)} ms. The due schedules took ${seconds(Number(details.dueScheduleMs))} to set; the first digest arrived ${seconds(Number(details.firstPostMs ?? 0))} after the due minute${Object.keys(details.postErrors as object).length > 0 ? `, Slack refused ${JSON.stringify(details.postErrors)}` : ''}; from their start to the end of the due phase the replicas used ${cpu.map((ms) => seconds(ms)).join(' + ')} of CPU (${round(cpuTotal / Math.max(1, result.posted), 1)} ms per digest). Peak RSS per replica ${(details.peakRssMiBPerReplica as number[]).join(' / ')} MiB (${afterDue.join(' / ')} MiB after the due digests). The 1,000 access changes were all answered within ${seconds(Number(details.changesWallMs))}; ${count(Number(details.failedChanges))} were answered with anything but their confirmation.`,
  ];
  if (result.dueWallMs !== null && result.dueWallMs >= TARGETS.dueWallMs) {
    lines.push(
      `${label}, likely cause of the wall-time miss: the replicas' CPU, ${round(cpuTotal / Math.max(1, result.posted), 1)} ms per digest across both, on two cores shared with the store, the emulator and the stand-in.`,
    );
  }
  if (result.peakRssMiB >= TARGETS.peakRssMiB) {
    const dueMax = Math.max(0, ...afterDue);
    lines.push(
      `${label}, likely cause of the memory miss: ${dueMax >= TARGETS.peakRssMiB ? 'the due digests (the peak was reached before the access changes)' : 'the burst of 1,000 commands at once (the peak after the due digests alone was below the target)'}.`,
    );
  }
  return lines;
}

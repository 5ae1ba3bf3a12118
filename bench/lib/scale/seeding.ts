/**
 * Seeds workspaces `[from, to)` of the scale plan into a backend: the app's modules write each
 * workspace into memory (capture.ts), a bulk loader writes each batch in the backend's layout, and
 * the next batch is captured while the previous one loads.
 */
import { silentLogger } from '../../../src/logger';
import { openStore } from '../../../src/store';
import { BENCH_ENCRYPTION_KEY } from '../app-env';
import type { Credentials } from '../seed';
import type { BackendTarget } from './backends';
import { NAMESPACE } from './backends';
import { openLoader } from './bulk-load';
import { WorkspaceCapture } from './capture';

const BATCH = 1_000;

export interface SeedOutcome {
  ms: number;
  workspaces: number;
  records: number;
  logEntries: number;
  dueEntries: number;
}

/** Opens the real store once, so its tables, indexes, migration markers and key check exist before bulk writes. */
export async function initialiseStore(target: BackendTarget, dataDir: string): Promise<void> {
  const store = await openStore({
    url: target.storeUrl,
    dataDir,
    encryptionKey: BENCH_ENCRYPTION_KEY,
    logger: silentLogger(),
  });
  await store.close();
}

export async function seedRange(options: {
  target: BackendTarget;
  from: number;
  to: number;
  orgs: readonly Credentials[];
  /** The seeding's instant; the same for every range of one run. */
  now: Date;
  /** Writes the scheduling core's backfill markers (with the first range). */
  markers: boolean;
  log: (message: string) => void;
}): Promise<SeedOutcome> {
  const started = performance.now();
  const capture = new WorkspaceCapture(options.target.kind, NAMESPACE, options.now);
  const loader = await openLoader(options.target.loader, NAMESPACE);
  const outcome: SeedOutcome = { ms: 0, workspaces: 0, records: 0, logEntries: 0, dueEntries: 0 };
  let loading: Promise<void> = Promise.resolve();
  try {
    if (options.markers) await capture.backfillMarkers();
    for (let start = options.from; start < options.to; start += BATCH) {
      const end = Math.min(options.to, start + BATCH);
      for (let index = start; index < end; index++) {
        await capture.add(index, options.orgs[index % options.orgs.length] as Credentials);
      }
      const batch = capture.drain();
      outcome.workspaces += end - start;
      outcome.records += batch.records.size;
      for (const entries of batch.logs.values()) outcome.logEntries += entries.length;
      for (const members of batch.due.values()) outcome.dueEntries += members.size;
      await loading;
      loading = loader.load(batch);
      if (end % 20_000 === 0) options.log(`seeded ${end.toLocaleString('en-US')} workspaces`);
    }
    await loading;
  } finally {
    await loading.catch(() => undefined);
    await loader.close();
  }
  outcome.ms = performance.now() - started;
  return outcome;
}

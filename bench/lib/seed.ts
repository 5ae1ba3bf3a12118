/**
 * Fills an SQLite store with N workspaces through the store's own API, many at a time: each its own
 * team, with its own Viam org (the emulator's generated orgs) and a weekly digest in its own channel.
 */
import { buildFixture } from '../../dev/emulator';
import { DigestSchedules } from '../../src/digest/schedules';
import { WEEKDAYS, type WeeklyTime } from '../../src/digest/weekly-time';
import { silentLogger } from '../../src/logger';
import { openStore, type WorkspaceRef } from '../../src/store';
import { BENCH_ENCRYPTION_KEY } from './app-env';
import { eachConcurrently } from './concurrency';

/** The emulator of the digest benchmarks serves orgs generated from this seed. */
export const FIXTURE_SEED = 8;
const SEED_CONCURRENCY = 64;
const CONNECTED_BY = 'U0BENCHADM';

export interface Credentials {
  orgId: string;
  apiKeyId: string;
  apiKey: string;
}

/** The first `count` orgs of the generated fixture, as the emulator started with the same seed has them. */
export function generatedOrgs(count: number): Credentials[] {
  return buildFixture({ orgCount: count, seed: FIXTURE_SEED }).orgs.map((org) => {
    const [key] = org.apiKeys;
    if (!key) throw new Error('a generated org has no API key');
    return { orgId: org.orgId, apiKeyId: key.id, apiKey: key.key };
  });
}

export function benchWorkspace(index: number): { ref: WorkspaceRef; channelId: string } {
  const number = String(index).padStart(8, '0');
  return { ref: { teamId: `TB${number}` }, channelId: `CB${number}` };
}

/** The weekly slot (in UTC) that `at` falls in, to schedule digests that are due right then. */
export function weeklySlotOf(at: Date): WeeklyTime {
  const weekday = WEEKDAYS[(at.getUTCDay() + 6) % 7] as WeeklyTime['weekday'];
  const time = `${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')}`;
  return { weekday, time, timeZone: 'UTC' };
}

export interface SeedOptions {
  /** The SQLite file to create. */
  file: string;
  dataDir: string;
  orgs: readonly Credentials[];
  slot: WeeklyTime;
  /** When the schedules were set up; occurrences before it are never due. */
  createdAt: Date;
}

/** Resolves to the milliseconds seeding took. */
export async function seedWorkspaces(options: SeedOptions): Promise<number> {
  const started = performance.now();
  const logger = silentLogger();
  const store = await openStore({
    url: `sqlite://${options.file}`,
    dataDir: options.dataDir,
    encryptionKey: BENCH_ENCRYPTION_KEY,
    logger,
  });
  try {
    const schedules = new DigestSchedules(store, logger);
    await eachConcurrently(options.orgs.length, SEED_CONCURRENCY, async (index) => {
      const org = options.orgs[index] as Credentials;
      const { ref, channelId } = benchWorkspace(index);
      await store.workspaces.connectOrg(ref, {
        label: 'default',
        orgId: org.orgId,
        apiKey: { id: org.apiKeyId, key: org.apiKey },
        connectedBy: CONNECTED_BY,
      });
      await schedules.set(ref, {
        ...options.slot,
        channelId,
        orgLabel: 'default',
        createdBy: CONNECTED_BY,
        createdAt: options.createdAt.toISOString(),
      });
    });
  } finally {
    await store.close();
  }
  return performance.now() - started;
}

/**
 * Two replicas of the compiled app (`npm run build`, then `node dist/src/main.js`, as `npm start`
 * runs it) in HTTP mode on one store, each a process of its own with its own port and data folder.
 * Their memory is read from the kernel: VmHWM in /proc/<pid>/status is the most RSS the process ever
 * held, so no sampling interval can miss a peak.
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { SupportInfo } from '../../processes/support';
import { BENCH_ENCRYPTION_KEY } from '../app-env';
import { COMPILED_APP_ENTRY, REPO_ROOT, type SpawnedApp, spawnServer } from '../processes';

export interface Replica {
  app: SpawnedApp;
  /** The most RSS the process has held since it started, in bytes; undefined once it exited. */
  peakRssBytes(): number | undefined;
}

export async function startReplicas(options: {
  count: number;
  storeUrl: string;
  info: SupportInfo;
  workDir: string;
}): Promise<Replica[]> {
  return Promise.all(
    Array.from({ length: options.count }, async (_, index) => {
      const dataDir = path.join(options.workDir, `replica-${index + 1}`);
      await mkdir(dataDir, { recursive: true });
      const app = await spawnServer(
        COMPILED_APP_ENTRY,
        {
          SLACK_BOT_TOKEN: options.info.botToken,
          SLACK_SIGNING_SECRET: options.info.signingSecret,
          SLACK_API_URL: options.info.slackApiUrl,
          VIAM_APP_URL: options.info.emulatorUrl,
          STORE_URL: options.storeUrl,
          DATA_DIR: dataDir,
          ENCRYPTION_KEY: BENCH_ENCRYPTION_KEY,
          LOG_LEVEL: 'info',
          // The setting the app documents for deployments with thousands of digests in one hour.
          DIGEST_CHARTS: 'off',
        },
        { name: `replica ${index + 1}`, compiled: true, cwd: dataDir, timeoutMs: 120_000 },
      );
      return { app, peakRssBytes: () => statusKib(app.process.pid, 'VmHWM') };
    }),
  );
}

/** A `Vm…` line of /proc/<pid>/status, in bytes. */
function statusKib(pid: number | undefined, field: string): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * 6. From starting the app (`node --require tsx/cjs src/main.ts`, a process of its own) to `GET /readyz`
 * answering 200, with the SQLite store holding 10,000 workspaces, next to the same start with an
 * empty store: the ratio says whether start-up grows with the store.
 */
import { mkdir, mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { BENCH_ENCRYPTION_KEY } from '../lib/app-env';
import type { Benchmark } from '../lib/benchmark';
import { APP_ENTRY, spawnServer } from '../lib/processes';
import { generatedOrgs, seedWorkspaces, weeklySlotOf } from '../lib/seed';
import { median, round } from '../lib/stats';
import { startSupport } from '../lib/support';

const WORKSPACES = 10_000;
const RUNS = 5;

export const startup: Benchmark = {
  name: 'startup',
  title: 'Startup to ready with 10,000 workspaces in SQLite',
  async run(context) {
    const support = await startSupport();
    try {
      const root = await mkdtemp(path.join(context.workDir, 'startup-'));
      const fullDir = path.join(root, 'full');
      const emptyDir = path.join(root, 'empty');
      await mkdir(fullDir);
      await mkdir(emptyDir);
      context.log(`seeding ${WORKSPACES} workspaces`);
      // Set up now, so none is due: a start never runs into a digest fan-out.
      const seedMs = await seedWorkspaces({
        file: path.join(fullDir, 'store.sqlite'),
        dataDir: fullDir,
        orgs: generatedOrgs(WORKSPACES),
        slot: weeklySlotOf(new Date()),
        createdAt: new Date(),
      });
      const start = async (dataDir: string) => {
        const app = await spawnServer(
          APP_ENTRY,
          {
            SLACK_BOT_TOKEN: support.info.botToken,
            SLACK_SIGNING_SECRET: support.info.signingSecret,
            SLACK_API_URL: support.info.slackApiUrl,
            VIAM_APP_URL: support.info.emulatorUrl,
            DATA_DIR: dataDir,
            ENCRYPTION_KEY: BENCH_ENCRYPTION_KEY,
            LOG_LEVEL: 'info',
          },
          { name: 'the app' },
        );
        await app.stop();
        return app.readyMs;
      };
      // The first start of a run also fills tsx's compile cache; it is not counted.
      await start(emptyDir);
      const full: number[] = [];
      const empty: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        full.push(await start(fullDir));
        empty.push(await start(emptyDir));
        context.log(
          `start ${run + 1} of ${RUNS}: ${round(full.at(-1) ?? 0, 0)} ms full, ${round(empty.at(-1) ?? 0, 0)} ms empty`,
        );
      }
      const fullMs = median(full);
      const emptyMs = median(empty);
      return {
        figures: [
          {
            measure: 'Startup to /readyz 200, 10,000 workspaces (median)',
            result: `${round(fullMs, 0)} ms (empty store ${round(emptyMs, 0)} ms, ratio ${round(fullMs / emptyMs, 2)})`,
            target: '—',
          },
        ],
        raw: { workspaces: WORKSPACES, seedMs, fullMs: full, emptyMs: empty, ratio: fullMs / emptyMs },
        notes: [
          `${RUNS} starts each, alternating a store of ${WORKSPACES.toLocaleString('en-US')} workspaces (each with an org, a sealed key and a digest schedule; seeded in ${round(seedMs / 1000, 1)} s) with an empty one, after one uncounted start. Timed from spawning \`node --require tsx/cjs src/main.ts\` in HTTP mode to the first 200 from \`/readyz\` (store ping and Slack auth.test), polled every 5 ms.`,
          'Most of a start is Node and the modules loading; the app reads nothing per workspace at start-up, and the digest scheduler lists schedules only at its first minute boundary.',
        ],
      };
    } finally {
      await support.stop();
    }
  },
};

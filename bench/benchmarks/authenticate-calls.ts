/**
 * 3. How often the app trades its API key for a token: Authenticate calls per 1,000 commands for one
 * org, counted by the emulator. Tokens are cached per key and shared by concurrent first calls, so
 * the target is one.
 */
import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { appEnv } from '../lib/app-env';
import type { Benchmark } from '../lib/benchmark';
import { sendCommands, waitForAnswers } from '../lib/commands';
import { APP_ENTRY, type SpawnedApp, spawnServer } from '../lib/processes';
import { round } from '../lib/stats';
import { startSupport } from '../lib/support';

const COMMANDS = 1_000;
const CONCURRENCY = 50;

export const authenticateCalls: Benchmark = {
  name: 'auth',
  title: 'Authenticate calls per 1,000 commands for one org',
  async run(context) {
    const support = await startSupport();
    let app: SpawnedApp | undefined;
    try {
      const dataDir = await mkdtemp(path.join(context.workDir, 'auth-'));
      app = await spawnServer(APP_ENTRY, appEnv(support.info, dataDir), { name: 'the app' });
      const urls = await support.link.call('responseUrls', { count: COMMANDS });
      // A freshly started app: its very first commands arrive together, before any token is cached.
      await sendCommands({ appUrl: app.url, signingSecret: support.info.signingSecret }, urls, CONCURRENCY);
      const answers = await waitForAnswers(() => support.link.call('responseCounts'), COMMANDS);
      const calls = await support.link.call('viamCallCounts');
      const perThousand = (calls.Authenticate / COMMANDS) * 1_000;
      return {
        figures: [
          {
            measure: 'Authenticate calls per 1,000 commands (one org)',
            result: String(round(perThousand, 1)),
            target: '1',
            pass: perThousand <= 1 && answers.errors === 0,
          },
        ],
        raw: { commands: COMMANDS, concurrency: CONCURRENCY, viamCalls: calls, answers },
        notes: [
          `${COMMANDS} \`/viam-usage\` commands to a freshly started app, ${CONCURRENCY} at a time from the first one. The emulator counted ${calls.Authenticate} Authenticate and ${calls.GetCurrentMonthUsage} + ${calls.GetInvoicesSummary} + ${calls.GetOrgBillingInformation} billing reads; ${answers.accepted - answers.errors} overviews and ${answers.errors} other answers arrived.`,
        ],
      };
    } finally {
      await app?.stop();
      await support.stop();
    }
  },
};

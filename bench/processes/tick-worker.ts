/**
 * The scheduling core's idle tick, driven in-process against a seeded store: the app's own digest and
 * alert schedulers, built as src/app.ts builds them (real runners, billing client and Slack client),
 * ticked at instants when nothing is due. Each minute the app runs both ticks at once (both crons fire
 * at second 0), so "the tick" is timed as both together, and each alone for the breakdown.
 */
import { webApi } from '@slack/bolt';
import pino from 'pino';
import { AlertRunner } from '../../src/alerts/runner';
import { AlertScheduler } from '../../src/alerts/scheduler';
import { createBillingClient } from '../../src/billing';
import { Budgets } from '../../src/budgets/budgets';
import { DigestRunner } from '../../src/digest/runner';
import { DigestScheduler } from '../../src/digest/scheduler';
import { createLogger } from '../../src/logger';
import { openStore, type WorkspaceRef } from '../../src/store';
import { BENCH_ENCRYPTION_KEY } from '../lib/app-env';
import { serveParent } from '../lib/ipc';

export interface IdleTickRequest {
  storeUrl: string;
  dataDir: string;
  emulatorUrl: string;
  slackApiUrl: string;
  botToken: string;
  /** Ticks timed per series, after `warmup` untimed ones. */
  ticks: number;
  warmup: number;
}

export interface IdleTickResult {
  /** Both schedulers' ticks started together, until both finished (ms each). */
  bothMs: number[];
  digestMs: number[];
  alertMs: number[];
  /** Items the ticks took: anything but 0 means something was due and the figures are not of idle ticks. */
  taken: number;
}

const PAUSE_MS = 20;

async function idleTicks(request: IdleTickRequest): Promise<IdleTickResult> {
  // Logged like production (info level, pino's synchronous JSON lines), but to nowhere.
  const logger = createLogger({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: true }));
  const store = await openStore({
    url: request.storeUrl,
    dataDir: request.dataDir,
    encryptionKey: BENCH_ENCRYPTION_KEY,
    logger,
  });
  const billing = createBillingClient({ url: request.emulatorUrl, logger });
  const slack = new webApi.WebClient(request.botToken, { slackApiUrl: request.slackApiUrl });
  const clientFor = async () => slack;
  const budgets = new Budgets(store, logger);
  const budgetFor = (ref: WorkspaceRef, orgId: string) => budgets.amountFor(ref, orgId);
  const runner = new DigestRunner({ store, billing, logger, clientFor, budgetFor });
  const digests = new DigestScheduler({ runner, logger });
  const alerts = new AlertScheduler({
    runner: new AlertRunner({ store, billing, logger, clientFor, pacer: runner.pacer }),
    store,
    budgets,
    logger,
  });
  const result: IdleTickResult = { bothMs: [], digestMs: [], alertMs: [], taken: 0 };
  const timed = async (tick: () => Promise<number>, into: number[], index: number) => {
    const started = performance.now();
    result.taken += await tick();
    const ms = performance.now() - started;
    if (index >= request.warmup) into.push(ms);
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
  };
  const digestTick = async () => (await digests.tick(new Date())).runs.length;
  const alertTick = async () => {
    const report = await alerts.tick(new Date());
    return report.checks.length + report.unreadableWorkspaces;
  };
  try {
    for (let index = 0; index < request.warmup + request.ticks; index++) {
      await timed(
        async () => (await Promise.all([digestTick(), alertTick()])).reduce((a, b) => a + b, 0),
        result.bothMs,
        index,
      );
      await timed(digestTick, result.digestMs, index);
      await timed(alertTick, result.alertMs, index);
    }
    return result;
  } finally {
    await Promise.all([digests.stop(), alerts.stop()]);
    billing.close();
    await store.close();
  }
}

export type TickWorkerHandlers = { idleTicks: typeof idleTicks };

serveParent({ idleTicks } satisfies TickWorkerHandlers);

/**
 * The digest fan-out as the app runs it, alone in this process so its memory is measured cleanly:
 * the real DigestScheduler, DigestRunner and chart queue (wired by src/services/digest-delivery.ts, as the
 * app wires them) over the real SQLite store, the real billing client (against the emulator) and a Slack
 * WebClient (against the fake Slack API): one tick for every workspace whose digest is due, then the chart queue until it is empty,
 * then one tick with nothing due. The bench runs this file compiled (dist-bench/), as users run the app.
 */
import { webApi } from '@slack/bolt';
import pino from 'pino';
import { createBillingClient } from '../../src/billing';
import { Budgets } from '../../src/budgets/budgets';
import { ChannelPacer, realSleep } from '../../src/digest/pacing';
import { DigestScheduler } from '../../src/digest/scheduler';
import { createLogger } from '../../src/logger';
import { createOutbound } from '../../src/network/outbound';
import { digestDelivery } from '../../src/services/digest-delivery';
import { slackApiOf } from '../../src/slack/slack-api';
import { openStore, type WorkspaceRef } from '../../src/store';
import { BENCH_ENCRYPTION_KEY } from '../lib/app-env';
import { serveParent } from '../lib/ipc';
import { collectGarbage, RssSampler } from '../lib/rss';

export interface FanOutRequest {
  storeFile: string;
  dataDir: string;
  emulatorUrl: string;
  slackApiUrl: string;
  botToken: string;
  /** Digest runs at once (DigestScheduler's `concurrency`). */
  concurrency: number;
  /** Queue each digest's spend chart for its thread, as src/app.ts wires the runner (DIGEST_CHARTS on). */
  charts: boolean;
}

async function fanOut(request: FanOutRequest) {
  // Logged like production (info level, pino's synchronous JSON lines), but to nowhere.
  const logger = createLogger({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: true }));
  const store = await openStore({
    url: `sqlite://${request.storeFile}`,
    dataDir: request.dataDir,
    encryptionKey: BENCH_ENCRYPTION_KEY,
    logger,
  });
  const billing = createBillingClient({ url: request.emulatorUrl, logger: logger.child({ component: 'billing' }) });
  // The app's own settings for its digest client (src/app.ts).
  const outbound = createOutbound();
  const slack = new webApi.WebClient(request.botToken, {
    ...slackApiOf(request.slackApiUrl, outbound),
    retryConfig: { retries: 3, maxRetryTime: 60_000 },
  });
  const budgets = new Budgets(store, logger);
  const budgetFor = (ref: WorkspaceRef, orgId: string) => budgets.amountFor(ref, orgId);
  const clientFor = async () => slack;
  const pacer = new ChannelPacer({ now: () => new Date(), sleep: realSleep });
  // The app's own wiring of the runner and its chart queue (src/services/compose.ts uses the same).
  const { runner, charts } = digestDelivery({
    store,
    billing,
    logger,
    clientFor,
    budgetFor,
    pacer,
    dispatcher: outbound.dispatcher,
    charts: request.charts && {},
  });
  const scheduler = new DigestScheduler({ runner, logger, concurrency: request.concurrency });
  try {
    // A store's first tick fills in due times once (the one listing of every workspace there is);
    // done here with nothing due yet, since it happens once per store and not on the ticks measured.
    await scheduler.tick(new Date(Date.now() - 10 * 60_000));
    collectGarbage();
    const baselineBytes = process.memoryUsage.rss();
    const heapBefore = process.memoryUsage().heapUsed;
    const sampler = new RssSampler(10);
    sampler.start();
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const report = await scheduler.tick(new Date());
    // process.cpuUsage counts every thread of the process, the chart render thread included.
    const cpu = process.cpuUsage(cpuBefore);
    const wallMs = performance.now() - started;
    const textPeakBytes = sampler.peakSoFar();
    // The chart queue's ticks, as its job would run them once the digest tick is over, until it is empty.
    const chartCpuBefore = process.cpuUsage();
    let chartsShared = 0;
    for (;;) {
      const shared = charts ? await charts.tick() : [];
      chartsShared += shared.filter((chart) => chart.outcome.status === 'posted').length;
      if (shared.length === 0) break;
    }
    const chartCpu = process.cpuUsage(chartCpuBefore);
    const chartsWallMs = charts ? performance.now() - started : undefined;
    const { peakBytes } = sampler.stop();
    // What the tick left behind for good (settled occurrences, cached tokens), apart from garbage.
    collectGarbage();
    const heapRetainedBytes = process.memoryUsage().heapUsed - heapBefore;

    const outcomes: Record<string, number> = {};
    for (const run of report.runs) outcomes[run.outcome.status] = (outcomes[run.outcome.status] ?? 0) + 1;
    // Every digest is due next week now, so this tick takes nothing: what a minute costs between digests.
    const idleStarted = performance.now();
    const idle = await scheduler.tick(new Date());
    const idleTickMs = performance.now() - idleStarted;
    return {
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      chartsShared,
      chartsWallMs,
      chartsCpuMs: (chartCpu.user + chartCpu.system) / 1000,
      outcomes,
      baselineBytes,
      peakBytes,
      textPeakBytes,
      heapRetainedBytes,
      idleTickMs,
      stillDue: idle.runs.length,
    };
  } finally {
    await scheduler.stop();
    billing.close();
    await store.close();
  }
}

export type DigestWorkerHandlers = { fanOut: typeof fanOut };

serveParent({ fanOut } satisfies DigestWorkerHandlers);

/**
 * 2. From sending `/viam-usage` to the overview arriving at its response URL, with every Viam RPC
 * taking 100 ms. The three reads run in parallel and the token is cached, so one round trip of
 * Viam (plus our own work) is the floor: the target is 1.3 × 100 ms at p99.
 */
import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { appEnv } from '../lib/app-env';
import type { Benchmark } from '../lib/benchmark';
import { type CommandTarget, sendCommand } from '../lib/commands';
import { eachConcurrently } from '../lib/concurrency';
import { APP_ENTRY, type SpawnedApp, spawnServer } from '../lib/processes';
import { round, summarize } from '../lib/stats';
import { type Support, startSupport } from '../lib/support';

const VIAM_LATENCY_MS = 100;
const COMMANDS = 200;
/** One command at a time: this measures latency, not throughput (the ack benchmark loads the app). */
const CONCURRENCY = 1;
const WARMUP = 10;
const TARGET_MS = 1.3 * VIAM_LATENCY_MS;

/** Milliseconds from sending the command to the answer reaching its response URL (clocks of both processes). */
async function timeOne(support: Support, target: CommandTarget, index: number): Promise<number> {
  const [url] = await support.link.call('responseUrls', { count: 1 });
  if (!url) throw new Error('no response URL');
  const arrival = support.link.call('awaitResponse', { url, timeoutMs: 10_000 });
  // The wait above is registered before the command leaves (IPC messages keep their order).
  const sentAt = performance.timeOrigin + performance.now();
  const ack = await sendCommand(target, url, index);
  if (ack.status !== 200) throw new Error(`the app answered a command with HTTP ${ack.status}`);
  const { arrivedAt, error } = await arrival;
  if (error) throw new Error('the app answered with something other than the overview');
  return arrivedAt - sentAt;
}

export const overviewLatency: Benchmark = {
  name: 'overview',
  title: 'Command to overview at response_url, Viam at 100 ms per RPC',
  async run(context) {
    const support = await startSupport();
    let app: SpawnedApp | undefined;
    try {
      await support.link.call('setViamLatency', { ms: VIAM_LATENCY_MS });
      const dataDir = await mkdtemp(path.join(context.workDir, 'overview-'));
      app = await spawnServer(APP_ENTRY, appEnv(support.info, dataDir), { name: 'the app' });
      const target: CommandTarget = { appUrl: app.url, signingSecret: support.info.signingSecret };

      context.log(`warming up with ${WARMUP} commands (the first one authenticates)`);
      for (let index = 0; index < WARMUP; index++) await timeOne(support, target, index);
      const before = await support.link.call('viamCallCounts');

      const samples: number[] = [];
      const cpuBefore = app.cpuMs() ?? Number.NaN;
      await eachConcurrently(COMMANDS, CONCURRENCY, async (index) => {
        samples.push(await timeOne(support, target, index));
      });
      const cpuPerCommand = ((app.cpuMs() ?? Number.NaN) - cpuBefore) / COMMANDS;
      const after = await support.link.call('viamCallCounts');
      const latency = summarize(samples);
      const authenticates = after.Authenticate - before.Authenticate;
      const reads =
        after.GetCurrentMonthUsage -
        before.GetCurrentMonthUsage +
        (after.GetInvoicesSummary - before.GetInvoicesSummary);
      return {
        figures: [
          {
            measure: 'Command → overview at response_url, p50 / p99',
            result: `${round(latency.p50, 1)} ms / ${round(latency.p99, 1)} ms`,
            target: `p99 ≤ ${TARGET_MS} ms`,
            pass: latency.p99 <= TARGET_MS,
          },
        ],
        raw: {
          viamLatencyMs: VIAM_LATENCY_MS,
          commands: COMMANDS,
          concurrency: CONCURRENCY,
          warmup: WARMUP,
          latencyMs: latency,
          /** The app process's CPU time while measuring, idle background work included, per command. */
          appCpuMsPerCommand: cpuPerCommand,
          authenticateCallsWhileMeasuring: authenticates,
          usageAndInvoiceReadsWhileMeasuring: reads,
        },
        notes: [
          `Every emulator RPC (Authenticate too) waits ${VIAM_LATENCY_MS} ms. ${COMMANDS} commands one after another, after ${WARMUP} to warm up; timed from the signed request leaving the bench to the overview reaching the Slack stand-in's response URL.`,
          `While measuring, the app called Authenticate ${authenticates} times (the token is cached) and read usage and invoices ${reads} times. The slowest command took ${round(latency.max, 1)} ms.`,
          ...(latency.p99 > TARGET_MS
            ? [
                `Likely cause of the miss: the median is ${round(latency.p50 - VIAM_LATENCY_MS, 1)} ms above the one Viam round trip, which is our own path (ack, store, rendering, the POST to the response URL); the p99 is the 2nd slowest of ${COMMANDS} commands, so a few stalls of the app's event loop (garbage collection, or the machine's other work on two shared cores) are enough to push it over.`,
              ]
            : []),
        ],
      };
    } finally {
      await app?.stop();
      await support.stop();
    }
  },
};

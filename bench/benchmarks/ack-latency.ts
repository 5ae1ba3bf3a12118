/**
 * 1. How fast `/viam-usage` is acknowledged over HTTP, next to a bare Bolt app that only acks. Both
 * run as their own Node process in the same layout; the load comes from this process, and the
 * emulator and Slack stand-in live in a third, so the apps' acks are the only thing compared.
 */
import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { SEED } from '../../dev/slack-stand-in';
import { appEnv } from '../lib/app-env';
import type { Benchmark } from '../lib/benchmark';
import { type CommandTarget, sendCommands, waitForAnswers } from '../lib/commands';
import { APP_ENTRY, REPO_ROOT, type SpawnedApp, spawnServer } from '../lib/processes';
import { round, summarize } from '../lib/stats';
import { startSupport } from '../lib/support';

const REQUESTS = 2_000;
const CONCURRENCY = 50;
const WARMUP = 200;
/** Requests per turn: the apps take turns, so drift in the machine's load hits both alike. */
const TURN = 250;
const TARGET_RATIO = 1.2;
const BARE_APP = path.join(REPO_ROOT, 'bench', 'processes', 'bare-bolt-app.ts');

export const ackLatency: Benchmark = {
  name: 'ack',
  title: 'Ack latency of /viam-usage over HTTP',
  async run(context) {
    const support = await startSupport();
    const started: SpawnedApp[] = [];
    try {
      const info = support.info;
      const dataDir = await mkdtemp(path.join(context.workDir, 'ack-'));
      const app = await spawnServer(APP_ENTRY, appEnv(info, dataDir), { name: 'the app' });
      started.push(app);
      const bare = await spawnServer(
        BARE_APP,
        {
          SLACK_BOT_TOKEN: info.botToken,
          SLACK_SIGNING_SECRET: info.signingSecret,
          SLACK_API_URL: info.slackApiUrl,
          BENCH_BOT_ID: SEED.botId,
          BENCH_BOT_USER_ID: SEED.botUserId,
        },
        { name: 'the bare Bolt app' },
      );
      started.push(bare);
      const appTarget: CommandTarget = { appUrl: app.url, signingSecret: info.signingSecret };
      const bareTarget: CommandTarget = { appUrl: bare.url, signingSecret: info.signingSecret };
      const appUrls = await support.link.call('responseUrls', { count: WARMUP + REQUESTS });
      const bareUrls = await support.link.call('responseUrls', { count: WARMUP + REQUESTS });
      let appCommands = 0;
      /** Our app answers each command after the ack; its turn ends once every answer has arrived. */
      const appTurn = async (urls: string[]) => {
        const acks = await sendCommands(appTarget, urls, CONCURRENCY);
        appCommands += urls.length;
        await waitForAnswers(() => support.link.call('responseCounts'), appCommands);
        return acks;
      };

      context.log(`warming up both apps with ${WARMUP} commands each`);
      await appTurn(appUrls.slice(0, WARMUP));
      await sendCommands(bareTarget, bareUrls.slice(0, WARMUP), CONCURRENCY);

      const appAcks: number[] = [];
      const bareAcks: number[] = [];
      const cpu = { app: 0, bare: 0 };
      /** Adds the CPU time `server` used during `work` (all of it theirs: each app only works in its own turn). */
      const measured = async (server: SpawnedApp, into: 'app' | 'bare', work: () => Promise<unknown>) => {
        const before = server.cpuMs() ?? Number.NaN;
        await work();
        cpu[into] += (server.cpuMs() ?? Number.NaN) - before;
      };
      for (let turn = 0; turn < REQUESTS / TURN; turn++) {
        const from = WARMUP + turn * TURN;
        const runApp = () =>
          measured(app, 'app', async () => appAcks.push(...(await appTurn(appUrls.slice(from, from + TURN)))));
        const runBare = () =>
          measured(bare, 'bare', async () =>
            bareAcks.push(...(await sendCommands(bareTarget, bareUrls.slice(from, from + TURN), CONCURRENCY))),
          );
        // Alternate who goes first, so neither always follows the other's leftovers.
        if (turn % 2 === 0) {
          await runApp();
          await runBare();
        } else {
          await runBare();
          await runApp();
        }
        context.log(`turn ${turn + 1} of ${REQUESTS / TURN} done`);
      }

      const answers = await support.link.call('responseCounts');
      const viam = await support.link.call('viamCallCounts');
      const ours = summarize(appAcks);
      const baseline = summarize(bareAcks);
      const ratio = ours.p99 / baseline.p99;
      const p50Ratio = ours.p50 / baseline.p50;
      const ms = (value: number) => `${round(value, 1)} ms`;
      const cpuPerCommand = { ourApp: cpu.app / REQUESTS, bareBolt: cpu.bare / REQUESTS };
      const missed = !(ratio <= TARGET_RATIO);
      return {
        figures: [
          { measure: 'Ack p50 / p99, our app', result: `${ms(ours.p50)} / ${ms(ours.p99)}`, target: '—' },
          { measure: 'Ack p50 / p99, bare Bolt app', result: `${ms(baseline.p50)} / ${ms(baseline.p99)}`, target: '—' },
          {
            measure: 'Ack p99 ratio, our app ÷ bare Bolt',
            result: `${round(ratio, 2)} (p50 ratio ${round(p50Ratio, 2)})`,
            target: `≤ ${TARGET_RATIO}`,
            pass: ratio <= TARGET_RATIO && answers.errors === 0,
          },
        ],
        raw: {
          requests: REQUESTS,
          concurrency: CONCURRENCY,
          warmup: WARMUP,
          turn: TURN,
          ourAppMs: ours,
          bareBoltMs: baseline,
          p99Ratio: ratio,
          p50Ratio,
          cpuMsPerCommand: cpuPerCommand,
          overviewsAnswered: answers.accepted - answers.errors,
          errorAnswers: answers.errors,
          viamCalls: viam,
        },
        notes: [
          `${REQUESTS} signed \`/viam-usage\` requests per app (after ${WARMUP} to warm up), ${CONCURRENCY} in flight, each on a fresh connection; the apps take turns of ${TURN} requests.`,
          `CPU time per command, measured from /proc over the turns: ${round(cpuPerCommand.ourApp, 2)} ms for our app (ack and answer), ${round(cpuPerCommand.bareBolt, 2)} ms for the bare Bolt app (ack only).`,
          ...(missed
            ? [
                "Likely cause of the miss: the answer behind each ack (store reads, three Viam calls, Block Kit rendering with its time-zone math, the POST to the response URL, log lines) runs on the same event loop as the next requests. With 50 requests always in flight the app is busy all the time, so each new request waits behind the earlier commands' answer work; the p99 ratio follows the ratio of CPU per command above. Acks would stay near the bare app's if that work were queued behind new requests (a small limit on answers in progress) and made cheaper (profiles show the time-zone offsets of the period text and the response_url POST among the largest parts).",
              ]
            : []),
          `Behind its acks our app did the commands' work: ${answers.accepted - answers.errors} overviews reached their response URLs (${answers.errors} other answers), from ${viam.GetCurrentMonthUsage} + ${viam.GetInvoicesSummary} + ${viam.GetOrgBillingInformation} Viam reads and ${viam.Authenticate} Authenticate. Each turn of our app ends when its last answer has arrived, so the bare app's turns run on an idle machine too.`,
        ],
      };
    } finally {
      for (const server of started) await server.stop();
      await support.stop();
    }
  },
};

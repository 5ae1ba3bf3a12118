/**
 * 1. How fast `/viam-usage` is acknowledged over HTTP, next to two reference apps: a bare Bolt app that
 * only acks, and a floor app that does only what an overview cannot do without. Each runs as its own
 * Node process in the same layout; the load comes from this process, and the emulator and Slack
 * stand-in live in another, so the apps' own work is the only thing compared.
 */
import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { SEED } from '../../dev/slack-stand-in';
import { appEnv } from '../lib/app-env';
import type { Benchmark, Figure } from '../lib/benchmark';
import { type CommandTarget, sendCommands, waitForAnswers } from '../lib/commands';
import { commandsAtRate, type OpenLoopRun, sendAtRate } from '../lib/open-loop';
import { APP_ENTRY, REPO_ROOT, type SpawnedApp, spawnServer } from '../lib/processes';
import { scaleBackends } from '../lib/scale/backends';
import { round, summarize } from '../lib/stats';
import { startSupport } from '../lib/support';

const REQUESTS = 2_000;
const CONCURRENCY = 50;
const WARMUP = 200;
/** Requests per turn: the apps take turns, so drift in the machine's load hits both alike. */
const TURN = 250;
const TARGET_RATIO = 1.2;
const BARE_APP = path.join(REPO_ROOT, 'bench', 'processes', 'bare-bolt-app.ts');
const FLOOR_APP = path.join(REPO_ROOT, 'bench', 'processes', 'floor-bolt-app.ts');
/** CPU per command of our app, at most this many times the bare app's per ack (issue 13). */
const CPU_RATIO_LIMIT = 3;
/** Arrival rates of the open-loop runs, commands per second. */
const OPEN_LOOP_RATES = [10, 50, 100, 150, 200, 300];
/** Each open-loop run lasts at least this long and sends at least OPEN_LOOP_MIN_COMMANDS. */
const OPEN_LOOP_SECONDS = 8;
const OPEN_LOOP_MIN_COMMANDS = 300;
const OPEN_LOOP_ACK_RATIO = 1.3;
/** Answers at 150/s may take at most this many times as long as at 10/s (p99): they keep up. */
const ANSWER_GROWTH_LIMIT = 2;

export interface OpenLoopFigures {
  ratePerSecond: number;
  commands: number;
  ourP50Ms: number;
  ourP99Ms: number;
  bareP50Ms: number;
  bareP99Ms: number;
  floorP50Ms: number;
  floorP99Ms: number;
  /** Command sent → its answer at the response URL, our app. */
  answerP50Ms: number;
  answerP99Ms: number;
  /** The same for the floor app. */
  floorAnswerP99Ms: number;
  cpuMsPerCommand: CpuPerCommand;
  /** The part of it on each app's main thread, the one that reads and acks requests. */
  mainThreadCpuMsPerCommand?: CpuPerCommand;
  /** How late the load generator sent its latest command (ms); large figures mean the bench machine could not keep the rate. */
  maxSendLagMs: number;
}

export interface CpuPerCommand {
  ourApp: number;
  bareBolt: number;
  floor: number;
}

type ContenderName = keyof CpuPerCommand;

/** One app under load: ours, the floor (the overview's essential work only) or the bare Bolt app (ack only). */
interface Contender {
  name: ContenderName;
  server: SpawnedApp;
  target: CommandTarget;
  /** Whether it answers at response URLs after the ack (its turns end only when every answer has arrived). */
  answers: boolean;
}

export const ackLatency: Benchmark = {
  name: 'ack',
  title: 'Ack latency of /viam-usage over HTTP',
  async run(context) {
    // The stand-ins yield the CPU to the apps under test (see SupportOptions.niceness).
    const support = await startSupport({ niceness: 10 });
    const started: SpawnedApp[] = [];
    // As deployments that answer on their own thread run: on Redis (else PostgreSQL) when the environment offers
    // one, in a store of the bench's own there; SQLite only without either, answering on the acking thread.
    const store = scaleBackends(process.env, context.workDir).find((target) => target.kind !== 'sqlite');
    await store?.prepare();
    try {
      const info = support.info;
      const dataDir = await mkdtemp(path.join(context.workDir, 'ack-'));
      const baselineEnv = {
        ...appEnv(info, dataDir),
        BENCH_BOT_ID: SEED.botId,
        BENCH_BOT_USER_ID: SEED.botUserId,
      };
      const spawn = async (name: ContenderName, entry: string, env: Record<string, string>, label: string) => {
        const server = await spawnServer(entry, env, { name: label });
        started.push(server);
        return { name, server, target: { appUrl: server.url, signingSecret: info.signingSecret } };
      };
      const ours: Contender = {
        ...(await spawn(
          'ourApp',
          APP_ENTRY,
          appEnv(info, dataDir, store ? { STORE_URL: store.storeUrl } : {}),
          'the app',
        )),
        answers: true,
      };
      const floor: Contender = {
        ...(await spawn('floor', FLOOR_APP, baselineEnv, 'the floor app')),
        answers: true,
      };
      const bare: Contender = {
        ...(await spawn('bareBolt', BARE_APP, baselineEnv, 'the bare Bolt app')),
        answers: false,
      };
      const contenders = [ours, floor, bare];
      /** Answers expected at the response URLs so far, over all apps (turns never overlap). */
      let answersDue = 0;
      const awaitAnswers = async (contender: Contender, count: number, timeoutMs?: number) => {
        if (!contender.answers) return;
        answersDue += count;
        await waitForAnswers(() => support.link.call('responseCounts'), answersDue, timeoutMs);
      };
      const urlsFor = (count: number) => support.link.call('responseUrls', { count });
      /** The apps in the order of round `round`: each one goes first, second and last in turn. */
      const inTurn = (round: number) =>
        contenders.map((_, i) => contenders[(i + round) % contenders.length] as Contender);

      context.log(`warming up the three apps with ${WARMUP} commands each`);
      for (const contender of contenders) {
        await sendCommands(contender.target, await urlsFor(WARMUP), CONCURRENCY);
        await awaitAnswers(contender, WARMUP);
      }

      const acks: Record<ContenderName, number[]> = { ourApp: [], floor: [], bareBolt: [] };
      const cpuMs: CpuPerCommand = { ourApp: 0, floor: 0, bareBolt: 0 };
      const mainThreadCpuMs: CpuPerCommand = { ourApp: 0, floor: 0, bareBolt: 0 };
      for (let turn = 0; turn < REQUESTS / TURN; turn++) {
        for (const contender of inTurn(turn)) {
          const urls = await urlsFor(TURN);
          // All of this CPU time is the contender's: each app only works in its own turn.
          const before = contender.server.cpuMs() ?? Number.NaN;
          const mainBefore = contender.server.mainThreadCpuMs() ?? Number.NaN;
          acks[contender.name].push(...(await sendCommands(contender.target, urls, CONCURRENCY)));
          await awaitAnswers(contender, TURN);
          cpuMs[contender.name] += (contender.server.cpuMs() ?? Number.NaN) - before;
          mainThreadCpuMs[contender.name] += (contender.server.mainThreadCpuMs() ?? Number.NaN) - mainBefore;
        }
        context.log(`turn ${turn + 1} of ${REQUESTS / TURN} done`);
      }

      context.log('open loop: fixed arrival rates, the apps taking turns');
      const openLoop: OpenLoopFigures[] = [];
      for (const [index, rate] of OPEN_LOOP_RATES.entries()) {
        const count = commandsAtRate(rate, OPEN_LOOP_SECONDS, OPEN_LOOP_MIN_COMMANDS);
        const runs = {} as Record<
          ContenderName,
          { run: OpenLoopRun; answerMs: number[]; cpuMs: number; mainThreadCpuMs: number }
        >;
        for (const contender of inTurn(index)) {
          const urls = await urlsFor(count);
          const before = contender.server.cpuMs() ?? Number.NaN;
          const mainBefore = contender.server.mainThreadCpuMs() ?? Number.NaN;
          const run = await sendAtRate(contender.target, urls, rate);
          await awaitAnswers(contender, count, 180_000);
          const cpu = (contender.server.cpuMs() ?? Number.NaN) - before;
          const mainCpu = (contender.server.mainThreadCpuMs() ?? Number.NaN) - mainBefore;
          const arrivals = contender.answers ? await support.link.call('responseArrivals', { urls }) : [];
          const answerMs = arrivals.map((at, i) => (at === null ? Number.NaN : at - (run.sentAtMs[i] as number)));
          runs[contender.name] = { run, answerMs, cpuMs: cpu, mainThreadCpuMs: mainCpu };
        }
        const failures = contenders.reduce((sum, contender) => sum + runs[contender.name].run.failures, 0);
        if (failures > 0) throw new Error(`${failures} commands were not acked with HTTP 200 at ${rate}/s`);
        const ackOf = (name: ContenderName) => summarize(runs[name].run.ackMs);
        const answersOf = (name: ContenderName) => summarize(runs[name].answerMs.filter((ms) => Number.isFinite(ms)));
        const cpuOf = (name: ContenderName) => round(runs[name].cpuMs / count, 2);
        const mainCpuOf = (name: ContenderName) => round(runs[name].mainThreadCpuMs / count, 2);
        const [ourAcks, bareAcks, floorAcks] = [ackOf('ourApp'), ackOf('bareBolt'), ackOf('floor')];
        const answerTimes = answersOf('ourApp');
        openLoop.push({
          ratePerSecond: rate,
          commands: count,
          ourP50Ms: round(ourAcks.p50, 2),
          ourP99Ms: round(ourAcks.p99, 2),
          bareP50Ms: round(bareAcks.p50, 2),
          bareP99Ms: round(bareAcks.p99, 2),
          floorP50Ms: round(floorAcks.p50, 2),
          floorP99Ms: round(floorAcks.p99, 2),
          answerP50Ms: round(answerTimes.p50, 1),
          answerP99Ms: round(answerTimes.p99, 1),
          floorAnswerP99Ms: round(answersOf('floor').p99, 1),
          cpuMsPerCommand: { ourApp: cpuOf('ourApp'), bareBolt: cpuOf('bareBolt'), floor: cpuOf('floor') },
          mainThreadCpuMsPerCommand: {
            ourApp: mainCpuOf('ourApp'),
            bareBolt: mainCpuOf('bareBolt'),
            floor: mainCpuOf('floor'),
          },
          maxSendLagMs: round(Math.max(...contenders.map((contender) => runs[contender.name].run.maxSendLagMs)), 1),
        });
        context.log(
          `${rate}/s: ack p99 ${round(ourAcks.p99, 1)} ms against ${round(bareAcks.p99, 1)} ms bare and ${round(floorAcks.p99, 1)} ms floor, answer p99 ${round(answerTimes.p99, 0)} ms`,
        );
      }

      const answers = await support.link.call('responseCounts');
      const viam = await support.link.call('viamCallCounts');
      const ourAcks = summarize(acks.ourApp);
      const baseline = summarize(acks.bareBolt);
      const floorAcks = summarize(acks.floor);
      const ratio = ourAcks.p99 / baseline.p99;
      const p50Ratio = ourAcks.p50 / baseline.p50;
      const ms = (value: number) => `${round(value, 1)} ms`;
      const cpuPerCommand: CpuPerCommand = {
        ourApp: cpuMs.ourApp / REQUESTS,
        bareBolt: cpuMs.bareBolt / REQUESTS,
        floor: cpuMs.floor / REQUESTS,
      };
      const mainThreadCpuPerCommand: CpuPerCommand = {
        ourApp: mainThreadCpuMs.ourApp / REQUESTS,
        bareBolt: mainThreadCpuMs.bareBolt / REQUESTS,
        floor: mainThreadCpuMs.floor / REQUESTS,
      };
      const cpuRatio = cpuPerCommand.ourApp / cpuPerCommand.bareBolt;
      const mainThreadRatio = mainThreadCpuPerCommand.ourApp / mainThreadCpuPerCommand.bareBolt;
      const floorCpuRatio = cpuPerCommand.floor / cpuPerCommand.bareBolt;
      const missed = !(ratio <= TARGET_RATIO);
      const openLoopFigures = openLoopReport(openLoop);
      const storeWords = store
        ? `${store.describe}, so it answers on an answer thread (ANSWER_THREADS=auto: one on two cores or more)`
        : 'an SQLite file, so it answers on the acking thread (answer threads need Redis or PostgreSQL; set REDIS_URL or DATABASE_URL to measure them, docs/decisions/0020-answer-threads.md)';
      return {
        figures: [
          { measure: 'Ack p50 / p99, our app', result: `${ms(ourAcks.p50)} / ${ms(ourAcks.p99)}`, target: '—' },
          { measure: 'Ack p50 / p99, floor app', result: `${ms(floorAcks.p50)} / ${ms(floorAcks.p99)}`, target: '—' },
          { measure: 'Ack p50 / p99, bare Bolt app', result: `${ms(baseline.p50)} / ${ms(baseline.p99)}`, target: '—' },
          {
            measure: 'Ack p99 ratio, our app ÷ bare Bolt',
            result: `${round(ratio, 2)} (p50 ratio ${round(p50Ratio, 2)})`,
            target: `≤ ${TARGET_RATIO}`,
            pass: ratio <= TARGET_RATIO && answers.errors === 0,
          },
          {
            measure: 'CPU per command: our app / floor / bare Bolt',
            result: `${round(cpuPerCommand.ourApp, 2)} / ${round(cpuPerCommand.floor, 2)} / ${round(cpuPerCommand.bareBolt, 2)} ms (${round(cpuRatio, 2)}× / ${round(floorCpuRatio, 2)}× bare)`,
            target: `ours ≤ ${CPU_RATIO_LIMIT}× bare`,
            pass: cpuRatio <= CPU_RATIO_LIMIT,
          },
          {
            measure: 'CPU per command on the acking (main) thread: our app / floor / bare Bolt',
            result: `${round(mainThreadCpuPerCommand.ourApp, 2)} / ${round(mainThreadCpuPerCommand.floor, 2)} / ${round(mainThreadCpuPerCommand.bareBolt, 2)} ms (${round(mainThreadRatio, 2)}× bare)`,
            target: '—',
          },
          ...openLoopFigures.figures,
        ],
        raw: {
          ourStore: store?.kind ?? 'sqlite',
          requests: REQUESTS,
          concurrency: CONCURRENCY,
          warmup: WARMUP,
          turn: TURN,
          ourAppMs: ourAcks,
          bareBoltMs: baseline,
          floorMs: floorAcks,
          p99Ratio: ratio,
          p50Ratio,
          cpuMsPerCommand: cpuPerCommand,
          mainThreadCpuMsPerCommand: mainThreadCpuPerCommand,
          openLoop,
          saturationPerSecond: openLoopFigures.saturation,
          overviewsAnswered: answers.accepted - answers.errors,
          errorAnswers: answers.errors,
          viamCalls: viam,
        },
        notes: [
          `${REQUESTS} signed \`/viam-usage\` requests per app (after ${WARMUP} to warm up), ${CONCURRENCY} in flight, each on a fresh connection; the three apps take turns of ${TURN} requests, each going first in turn.`,
          "The floor app (`bench/processes/floor-bolt-app.ts`) does only what an overview cannot do without: Bolt's ack, the three Viam reads through the app's billing client, `renderOverview`, and the POST to the response URL through the app's own client. No store, access check, log line, metric or answer lane. What our app spends above it is the rest of the command path.",
          `Open loop: commands sent at ${OPEN_LOOP_RATES.join(', ')} per second, each on a fresh connection whatever the app does, for at least ${OPEN_LOOP_SECONDS} s and ${OPEN_LOOP_MIN_COMMANDS} commands per rate and app; the apps take turns, each going first in turn. An answer's time runs from sending the command to its arrival at the response URL. The saturation rate is where one core would be full at the CPU per command measured at the highest rate (Node runs an app's JavaScript on one core).`,
          `CPU time per command, measured from /proc over the turns: ${round(cpuPerCommand.ourApp, 2)} ms for our app (ack and answer), ${round(cpuPerCommand.floor, 2)} ms for the floor app (ack and answer), ${round(cpuPerCommand.bareBolt, 2)} ms for the bare Bolt app (ack only). Of it on the main thread, the one that reads and acks (/proc/<pid>/task/<pid>/stat): ${round(mainThreadCpuPerCommand.ourApp, 2)}, ${round(mainThreadCpuPerCommand.floor, 2)} and ${round(mainThreadCpuPerCommand.bareBolt, 2)} ms. Our app's store: ${storeWords}.`,
          ...(missed
            ? [
                "Likely cause of the miss: the answer behind each ack (store reads, three Viam calls, rendering, the POST to the response URL, log lines) runs on the same event loop as the next requests. With 50 requests always in flight the app is busy all the time, so each new request waits behind the earlier commands' answer work; the floor app, which does the least an answer needs, shows how much of that no in-process ordering can remove.",
              ]
            : []),
          `Behind their acks our app and the floor app did the commands' work: ${answers.accepted - answers.errors} overviews reached their response URLs (${answers.errors} other answers), from ${viam.GetCurrentMonthUsage} + ${viam.GetInvoicesSummary} + ${viam.GetOrgBillingInformation} Viam reads and ${viam.Authenticate} Authenticate. Each turn of an answering app ends when its last answer has arrived, so the next app's turn runs on an idle machine.`,
        ],
      };
    } finally {
      for (const server of started) await server.stop();
      await support.stop();
      await store?.clear();
    }
  },
};

/** The open-loop rows of the table: ack p99 against the bare app per rate, answers keeping up, saturation. */
function openLoopReport(runs: readonly OpenLoopFigures[]) {
  const figures: Figure[] = runs.map((run) => {
    const ratio = run.ourP99Ms / run.bareP99Ms;
    return {
      measure: `Open loop ${run.ratePerSecond}/s: ack p99, our app / bare Bolt (floor)`,
      result: `${run.ourP99Ms} / ${run.bareP99Ms} ms (${round(ratio, 2)}×; floor ${run.floorP99Ms} ms)`,
      target: `≤ ${OPEN_LOOP_ACK_RATIO}×`,
      pass: ratio <= OPEN_LOOP_ACK_RATIO,
    };
  });
  const at = (rate: number) => runs.find((run) => run.ratePerSecond === rate);
  const slow = at(10);
  const busy = at(150);
  if (slow && busy) {
    const growth = busy.answerP99Ms / slow.answerP99Ms;
    figures.push({
      measure: 'Open loop: answer p99 at 150/s ÷ at 10/s',
      result: `${busy.answerP99Ms} ÷ ${slow.answerP99Ms} ms = ${round(growth, 2)}`,
      target: `≤ ${ANSWER_GROWTH_LIMIT}`,
      pass: growth <= ANSWER_GROWTH_LIMIT,
    });
  }
  const highest = runs[runs.length - 1];
  const saturation = highest
    ? {
        ourApp: Math.round(1000 / highest.cpuMsPerCommand.ourApp),
        floor: Math.round(1000 / highest.cpuMsPerCommand.floor),
        bareBolt: Math.round(1000 / highest.cpuMsPerCommand.bareBolt),
      }
    : { ourApp: Number.NaN, floor: Number.NaN, bareBolt: Number.NaN };
  figures.push({
    measure: 'Saturation (one core full), our app / floor / bare Bolt',
    result: `${saturation.ourApp} / ${saturation.floor} / ${saturation.bareBolt} commands/s`,
    target: '—',
  });
  return { figures, saturation };
}

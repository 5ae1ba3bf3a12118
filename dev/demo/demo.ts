/**
 * `npm run demo`: the real app (Bolt over HTTP with signed requests, the store, the digest scheduler)
 * against the Viam billing emulator and the Slack stand-in, all on loopback, walking through a session
 * in Acme Robotics' Slack and checking every step. Or, given a command, runs just that command.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { type LocalStack, startLocalStack } from '../local-stack';
import { SEED } from '../slack-stand-in';
import { type Check, check, failedChecks } from './checks';
import { DEMO_START, DEMO_USAGE_TIMELINE, DemoFigures, HISTORY_START } from './history';
import { type HtmlStep, renderHtmlPreview } from './html';
import { field } from './json';
import type { NameLookup } from './mrkdwn';
import { standInNames } from './names';
import { OutputFolder } from './output-files';
import { demoDataDir } from './scratch-dir';
import { type HistoryReport, recordHistory } from './seed-history';
import { DemoSession, type Who } from './session';
import { paintLines, run, wrapRuns } from './text-layout';
import { type DemoStep, type StepOutcome, singleCommandStep, tourSteps } from './tour';
import {
  renderChecks,
  renderShown,
  renderSummary,
  stepHeading,
  summaryLine,
  type TranscriptOptions,
} from './transcript';

export { DEMO_START } from './history';

export interface RunDemoOptions {
  /** Where the JSON, PDFs, index.html and app.log go (created if missing). */
  outDir: string;
  /** Receives the transcript, a chunk at a time, each ending with a newline. */
  write: (text: string) => void;
  /** Run only this command (the words after `/viam-usage`) instead of the whole tour. */
  command?: string;
  /** For `command`: who types it (a user name in the stand-in, default `ada`) and where (default `billing`). */
  as?: string;
  channel?: string;
  color?: boolean;
  /** Columns to wrap to; default 100. */
  width?: number;
  /** Aborting stops the demo after the current request and shuts everything down. */
  signal?: AbortSignal;
  /**
   * Called once the stack is up and the usage history recorded, before the first step; tests use it
   * to make a step fail.
   */
  arrange?: (stack: LocalStack) => void | Promise<void>;
}

export interface DemoStepReport {
  number: number;
  slug: string;
  caption: string;
  passed: boolean;
  checks: Check[];
}

export interface DemoReport {
  ok: boolean;
  passed: number;
  failed: number;
  failedSteps: string[];
  steps: DemoStepReport[];
  outDir: string;
  /** File names written into `outDir`. */
  written: string[];
  aborted: boolean;
}

export class DemoUsageError extends Error {}

export async function runDemo(options: RunDemoOptions): Promise<DemoReport> {
  const transcript: TranscriptOptions = { width: options.width ?? 100, color: options.color ?? false };
  const say = (text: string) => options.write(`${text}\n`);
  // The app is started when Acme connected its org, two months before the demo's day, so that its
  // hourly checks can record the usage history every later step reads.
  const clock = new DemoClock(HISTORY_START);
  const appLog: string[] = [];
  const out = await OutputFolder.prepare(options.outDir);

  say(intro(options.command !== undefined, transcript));
  const dataDir = await demoDataDir();
  const stack = await startLocalStack({
    now: clock.now,
    emulator: { now: clock.now, usageTimeline: DEMO_USAGE_TIMELINE },
    dataDir,
    logDestination: { write: (line: string) => appLog.push(line) },
  }).catch(async (error: unknown) => {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  const stopping = once(async () => {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  const onAbort = () => void stopping().catch(() => undefined);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await grantManifestScopes(stack);
    const names = standInNames(stack.slack);
    transcript.names = names;
    const session = new DemoSession(stack, names);
    // Before the history is recorded, so that a mistyped name is told at once.
    const single = options.command === undefined ? undefined : singleCommand(session, stack, names, options);
    const history = await recordHistory(stack, clock, DEMO_START, options.signal);
    await options.arrange?.(stack);
    const steps = single
      ? [single]
      : tourSteps({
          session,
          now: clock.now,
          setClock: (at) => clock.set(at),
          appLog: () => appLog,
          secrets: secretsOf(stack),
          history,
          figures: new DemoFigures(DEMO_USAGE_TIMELINE),
        });
    if (single) say(historyLine(history, transcript));

    const reports: DemoStepReport[] = [];
    const htmlSteps: HtmlStep[] = [];
    for (const [index, step] of steps.entries()) {
      if (options.signal?.aborted) break;
      const number = index + 1;
      options.write(stepHeading(number, steps.length, step.caption, transcript));
      const outcome = await runStep(step, options.signal);
      if (options.signal?.aborted) break;
      await saveOutputs(out, number, step.slug, outcome);
      for (const item of outcome.shown) say(`${renderShown(item, transcript)}\n`);
      say(renderChecks(outcome.checks, transcript));
      reports.push({
        number,
        slug: step.slug,
        caption: step.caption,
        passed: failedChecks(outcome.checks).length === 0 && outcome.checks.length > 0,
        checks: outcome.checks,
      });
      htmlSteps.push({ number, caption: step.caption, shown: outcome.shown, checks: outcome.checks });
    }

    const aborted = options.signal?.aborted ?? false;
    const failed = reports.filter((report) => !report.passed);
    const summary = {
      passed: reports.length - failed.length,
      failed: failed.length,
      failedSteps: failed.map((report) => `${report.number} ${report.slug}`),
    };
    if (!aborted) {
      await out.text('app.log', appLog.join(''));
      await out.text(
        'index.html',
        renderHtmlPreview(
          {
            title: 'Viam billing for Slack · offline demo',
            intro: introPlain(options.command !== undefined),
            steps: htmlSteps,
            summary: summaryLine(summary),
          },
          names,
        ),
      );
      say('');
      say(renderSummary({ ...summary, outDir: displayPath(options.outDir) }, transcript));
    }
    return {
      ok: !aborted && failed.length === 0 && reports.length === steps.length,
      ...summary,
      steps: reports,
      outDir: options.outDir,
      written: [...out.written],
      aborted,
    };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await stopping();
  }
}

/** Runs a step; an exception fails the step (with its message) instead of ending the demo. */
async function runStep(step: DemoStep, signal: AbortSignal | undefined): Promise<StepOutcome> {
  const work = step.run().catch(
    (error: unknown): StepOutcome => ({
      shown: [],
      checks: [check('the step ran to the end', false, error instanceof Error ? error.message : String(error))],
    }),
  );
  if (!signal) return work;
  let stop: (() => void) | undefined;
  const aborted = new Promise<StepOutcome>((resolve) => {
    stop = () => resolve({ shown: [], checks: [check('the demo was not interrupted', false, 'interrupted')] });
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    if (stop) signal.removeEventListener('abort', stop);
  }
}

async function saveOutputs(out: OutputFolder, number: number, slug: string, outcome: StepOutcome): Promise<void> {
  for (const file of outcome.files ?? []) file.shared.savedAs = await out.sharedFile(file.shared.filename, file.bytes);
  if (outcome.json !== undefined) await out.stepJson(number, slug, outcome.json);
}

function singleCommand(session: DemoSession, stack: LocalStack, names: NameLookup, options: RunDemoOptions): DemoStep {
  const typed = (options.command ?? '').replace(/^\s*\/viam-usage\b/, '').trim();
  const users = stack.slack.workspace.usersOf(SEED.team.id);
  const channels = stack.slack.workspace.channelsOf(SEED.team.id);
  const userName = (options.as ?? 'ada').replace(/^@/, '').toLowerCase();
  const channelName = (options.channel ?? 'billing').replace(/^#/, '').toLowerCase();
  const user = users.find((each) => each.name === userName && !each.isBot);
  const channel = channels.find((each) => each.name === channelName);
  if (!user) {
    const known = users.filter((each) => !each.isBot).map((each) => each.name);
    throw new DemoUsageError(`No one called "${userName}" in the demo workspace. Pick one of: ${known.join(', ')}.`);
  }
  if (!channel) {
    const known = channels.filter((each) => !each.isIm && !each.isMpim).map((each) => each.name);
    throw new DemoUsageError(
      `No channel called "#${channelName}" in the demo workspace. Pick one of: ${known.join(', ')}.`,
    );
  }
  const who: Who = { user: user.id, channel: channel.id };
  const caption = `${names.user(user.id) ?? user.name} runs /viam-usage ${typed} in #${channel.name}`.replace(
    '  ',
    ' ',
  );
  return singleCommandStep(session, typed, who, caption);
}

/**
 * The stand-in's workspace starts with the stand-in's idea of the manifest's scopes; a real install
 * grants what manifest.yml asks for (the history scopes too), so the demo grants exactly that.
 */
async function grantManifestScopes(stack: LocalStack): Promise<void> {
  const manifest: unknown = parseYaml(await readFile(path.join(__dirname, '../../manifest.yml'), 'utf8'));
  const scopes = field(field(field(manifest, 'oauth_config'), 'scopes'), 'bot');
  if (Array.isArray(scopes) && scopes.every((scope) => typeof scope === 'string')) {
    stack.slack.workspace.setScopes(SEED.team.id, scopes);
  }
}

function secretsOf(stack: LocalStack): string[] {
  const { config } = stack;
  return [
    ...stack.emulator.orgs.map((org) => org.apiKey),
    SEED.botToken,
    stack.slack.app.signingSecret,
    stack.slack.app.appToken,
    stack.slack.app.clientSecret,
    config.store.encryptionKey ?? '',
  ].filter((secret) => secret.length >= 8);
}

function intro(single: boolean, options: TranscriptOptions): string {
  return paintLines(wrapRuns([run(introPlain(single), { dim: true })], options.width), options.color).join('\n');
}

function introPlain(single: boolean): string {
  const what = single ? 'one command' : 'a morning in Acme Robotics’ Slack';
  return (
    `Viam billing for Slack, offline: ${what}. The real app runs on 127.0.0.1 against a Viam billing emulator (gRPC) ` +
    'and a stand-in for Slack’s Web API; requests are signed as Slack signs them and nothing leaves this machine. ' +
    'First the clock runs through the two months since Acme connected its org, while the app’s hourly check ' +
    'records its usage; then it reads Thursday, Nov 26, 2026, 10:00 in New York.'
  );
}

function historyLine(history: HistoryReport, options: TranscriptOptions): string {
  const text = `The app’s hourly check recorded ${history.snapshots} usage snapshots of Acme’s org before this command.`;
  return paintLines(wrapRuns([run(text, { dim: true })], options.width), options.color).join('\n');
}

function displayPath(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative === '' ? '.' : relative.startsWith('..') ? dir : `${relative}/`;
}

/** Settable time for the app and the emulator, so Monday's digest can come without waiting for Monday. */
class DemoClock {
  private ms: number;

  constructor(start: Date) {
    this.ms = start.getTime();
  }

  readonly now = (): Date => new Date(this.ms);

  set(at: Date): void {
    this.ms = at.getTime();
  }
}

function once(work: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= work();
    return running;
  };
}

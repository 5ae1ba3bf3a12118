/**
 * The whole app on loopback: the Viam billing emulator (gRPC), the Slack stand-in (Web API,
 * response URLs) and the real app in HTTP mode, with signed requests as Slack sends them. The
 * end-to-end tests and the offline demo both run on it.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RunningApp, startApp } from '../../src/app';
import { type AppConfig, configSecrets, loadConfig } from '../../src/config';
import { createLogger, type Logger } from '../../src/logger';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../emulator';
import {
  type RecordedResponse,
  SEED,
  type SignedResponse,
  type SlackStandIn,
  sendBlockAction,
  sendSlashCommand,
  sendViewSubmission,
  startSlackStandIn,
} from '../slack-stand-in';

export interface LocalStackOptions {
  /** Extra environment for the app (e.g. STORE_URL); the Slack and Viam variables are filled in. */
  env?: NodeJS.ProcessEnv;
  /** Connect the emulator's first org at start through VIAM_* variables. Default true. */
  connectDemoOrg?: boolean;
  emulator?: EmulatorOptions;
  /** Where the app's log lines go; default nowhere. */
  logDestination?: { write(line: string): unknown };
  /** Reuse a data folder (to test restarts); default a fresh temp folder removed by stop(). */
  dataDir?: string;
  now?: () => Date;
  /** Keep the digest minute job off and drive `app.services.digests.scheduler.tick(now)` by hand. Default true. */
  manualDigests?: boolean;
  /** Keep the alert job off and drive `app.services.alerts.scheduler.tick(now)` by hand. Default true. */
  manualAlerts?: boolean;
}

export interface LocalStack {
  app: RunningApp;
  emulator: RunningEmulator;
  slack: SlackStandIn;
  config: AppConfig;
  dataDir: string;
  appUrl: string;
  logger: Logger;
  /** Runs a slash command as `user` in `channel` and returns the ack and the first answer. */
  command(text: string, options?: CommandOptions): Promise<CommandResult>;
  /** Presses a button as `user`; answers arrive on a fresh response URL. */
  pressButton(actionId: string, value: string, options?: CommandOptions): Promise<CommandResult>;
  /** Submits a modal as `user`. */
  submitView(
    callbackId: string,
    values: Record<string, Record<string, unknown>>,
    options?: { user?: string; privateMetadata?: string },
  ): Promise<SignedResponse>;
  /** Restarts the app on the same data folder (and the same emulator and stand-in). */
  restartApp(): Promise<void>;
  stop(): Promise<void>;
}

export interface CommandOptions {
  user?: string;
  channel?: string;
  /** Wait for an answer on the response URL; default true. */
  waitForAnswer?: boolean;
  timeoutMs?: number;
}

export interface CommandResult {
  ack: SignedResponse;
  responseUrl: string;
  /** The first answer posted to the response URL (undefined when not waited for). */
  answer?: RecordedResponse & { body: AnswerBody };
}

export interface AnswerBody {
  text: string;
  blocks?: unknown[];
  response_type?: 'ephemeral' | 'in_channel';
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const emulator = await startEmulator(options.emulator);
  const slack = await startSlackStandIn();
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'viam-billing-stack-')));
  const demoOrg = emulator.orgs[0];
  const env: NodeJS.ProcessEnv = {
    SLACK_BOT_TOKEN: SEED.botToken,
    SLACK_SIGNING_SECRET: slack.app.signingSecret,
    SLACK_API_URL: slack.url,
    PORT: '0',
    VIAM_APP_URL: emulator.url,
    DATA_DIR: dataDir,
    ENCRYPTION_KEY: Buffer.alloc(32, 42).toString('base64'),
    LOG_LEVEL: 'debug',
    ...(options.connectDemoOrg === false || !demoOrg
      ? {}
      : { VIAM_ORG_ID: demoOrg.orgId, VIAM_API_KEY_ID: demoOrg.apiKeyId, VIAM_API_KEY: demoOrg.apiKey }),
    ...options.env,
  };
  const config = loadConfig(env);
  const logger = createLogger(
    { level: 'debug', secrets: configSecrets(config) },
    teeToLogSink(options.logDestination ?? { write: () => true }, env),
  );
  const launch = () =>
    startApp(config, {
      logger,
      host: '127.0.0.1',
      now: options.now,
      drainTimeoutMs: 5_000,
      manualDigests: options.manualDigests ?? true,
      manualAlerts: options.manualAlerts ?? true,
    });

  let app = await launch();
  const appUrl = () => `http://127.0.0.1:${app.port}`;
  const target = () => ({ appUrl: appUrl(), signingSecret: slack.app.signingSecret });

  const awaitAnswer = async (responseUrl: string, wait: boolean | undefined, timeoutMs: number | undefined) =>
    wait === false
      ? undefined
      : ((await slack.waitForResponse(responseUrl, undefined, timeoutMs ?? 10_000)) as CommandResult['answer']);

  /** A request from a user in a channel whose answers arrive on a fresh response URL. */
  const interact = async (
    commandOptions: CommandOptions,
    send: (responseUrl: string, who: { team: string; user: string; channel: string }) => Promise<SignedResponse>,
  ): Promise<CommandResult> => {
    const responseUrl = slack.responseUrl();
    const ack = await send(responseUrl, {
      team: SEED.team.id,
      user: commandOptions.user ?? SEED.users.ada,
      channel: commandOptions.channel ?? SEED.channels.billing,
    });
    return {
      ack,
      responseUrl,
      answer: await awaitAnswer(responseUrl, commandOptions.waitForAnswer, commandOptions.timeoutMs),
    };
  };

  const stack: LocalStack = {
    get app() {
      return app;
    },
    emulator,
    slack,
    config,
    dataDir,
    get appUrl() {
      return appUrl();
    },
    logger,
    command(text, commandOptions = {}) {
      return interact(commandOptions, (responseUrl, who) =>
        sendSlashCommand({ ...target(), ...who, text, responseUrl, triggerId: slack.triggerId() }),
      );
    },
    pressButton(actionId, value, commandOptions = {}) {
      return interact(commandOptions, (responseUrl, who) =>
        sendBlockAction({
          ...target(),
          ...who,
          actions: [{ action_id: actionId, value }],
          responseUrl,
          triggerId: slack.triggerId(),
        }),
      );
    },
    submitView(callbackId, values, viewOptions = {}) {
      return sendViewSubmission({
        ...target(),
        team: SEED.team.id,
        user: viewOptions.user ?? SEED.users.ada,
        callbackId,
        values,
        privateMetadata: viewOptions.privateMetadata,
      });
    },
    async restartApp() {
      await app.stop();
      app = await launch();
    },
    async stop() {
      await app.stop();
      await slack.stop();
      await emulator.stop();
      if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** Environment variables whose values must never show up in a log line. */
const SECRET_ENV = [
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_CLIENT_SECRET',
  'SLACK_STATE_SECRET',
  'VIAM_API_KEY',
  'ENCRYPTION_KEY',
];

/**
 * When VIAM_BILLING_LOG_SINK names a folder (the test run sets one), every app log line is also
 * appended to a file there, and the secrets this stack was given are listed next to it, so the end
 * of the run can check that no log line of any test holds any of them.
 */
function teeToLogSink(
  destination: { write(line: string): unknown },
  env: NodeJS.ProcessEnv,
): { write(line: string): unknown } {
  const sink = process.env.VIAM_BILLING_LOG_SINK;
  if (!sink) return destination;
  const name = path.join(sink, `stack-${process.pid}-${randomBytes(4).toString('hex')}`);
  const secrets = SECRET_ENV.flatMap((variable) => env[variable] ?? []);
  writeFileSync(`${name}.secrets.json`, JSON.stringify(secrets));
  return {
    write(line: string) {
      appendFileSync(`${name}.log`, line);
      return destination.write(line);
    },
  };
}

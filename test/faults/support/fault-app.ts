/**
 * The real app in HTTP mode on loopback against a given emulator and stand-in, like dev/local-stack,
 * but built with startApp's overrides (a billing client with a short deadline, a store opened on a
 * proxied server or with a moved clock), for the faults the local stack cannot set up. Commands go in
 * as signed HTTP; every log line also goes to the run's log sink, where the end-of-run scan reads it.
 */
import type { RunningEmulator } from '../../../dev/emulator';
import {
  type RecordedResponse,
  SEED,
  type SignedResponse,
  type SlackStandIn,
  sendSlashCommand,
} from '../../../dev/slack-stand-in';
import { type AppOverrides, type RunningApp, startApp } from '../../../src/app';
import { type AppConfig, loadConfig } from '../../../src/config';
import { createLogger, type Logger } from '../../../src/logger';
import { appendToLogSink, STACK_ENCRYPTION_KEY } from '../../support/log-sink';
import { LogCapture } from '../../support/stack';

export interface AppSetting {
  /** The emulator, or any server speaking Viam's contract at `url` that accepts the first org's key. */
  emulator: Pick<RunningEmulator, 'url' | 'orgs'>;
  slack: SlackStandIn;
  dataDir: string;
  /** Extra variables (STORE_URL, …); the Slack, Viam and data ones are filled in. */
  env?: NodeJS.ProcessEnv;
}

/** The environment the app gets: the stand-in's token and secret, the emulator, and its first org connected. */
export function appEnv({ emulator, slack, dataDir, env }: AppSetting): NodeJS.ProcessEnv {
  const org = emulator.orgs[0];
  if (!org) throw new Error('the emulator fixture has no org');
  return {
    SLACK_BOT_TOKEN: SEED.botToken,
    SLACK_SIGNING_SECRET: slack.app.signingSecret,
    SLACK_API_URL: slack.url,
    PORT: '0',
    VIAM_APP_URL: emulator.url,
    VIAM_ORG_ID: org.orgId,
    VIAM_API_KEY_ID: org.apiKeyId,
    VIAM_API_KEY: org.apiKey,
    DATA_DIR: dataDir,
    ENCRYPTION_KEY: STACK_ENCRYPTION_KEY,
    LOG_LEVEL: 'debug',
    // Answers on the acking thread unless a test asks for threads: each thread loads the whole app again
    // through tsx, which the suite's many app processes cannot afford (test/answers covers them).
    ANSWER_THREADS: '0',
    ...env,
  };
}

export interface FaultApp {
  app: RunningApp;
  config: AppConfig;
  url: string;
  log: LogCapture;
  logger: Logger;
  /** A slash command from `user` in `channel`; resolves with the ack and, unless told not to wait, the first answer. */
  command(text: string, options?: CommandOptions): Promise<CommandResult>;
  stop(): Promise<void>;
}

export interface CommandOptions {
  user?: string;
  channel?: string;
  waitForAnswer?: boolean;
  timeoutMs?: number;
}

export interface CommandResult {
  ack: SignedResponse;
  responseUrl: string;
  answer?: RecordedResponse & { body: { text: string; blocks?: unknown[]; response_type?: string } };
}

/** Sends a signed slash command to an app at `appUrl` (in this process or a child). */
export async function sendCommand(
  slack: SlackStandIn,
  appUrl: string,
  text: string,
  options: CommandOptions = {},
): Promise<CommandResult> {
  const responseUrl = slack.responseUrl();
  const ack = await sendSlashCommand({
    appUrl,
    signingSecret: slack.app.signingSecret,
    team: SEED.team.id,
    user: options.user ?? SEED.users.ada,
    channel: options.channel ?? SEED.channels.billing,
    text,
    responseUrl,
    triggerId: slack.triggerId(),
  });
  if (options.waitForAnswer === false) return { ack, responseUrl };
  const answer = (await slack.waitForResponse(responseUrl, undefined, options.timeoutMs ?? 10_000)) as NonNullable<
    CommandResult['answer']
  >;
  return { ack, responseUrl, answer };
}

export async function startFaultApp(
  setting: AppSetting,
  overrides: (logger: Logger) => Promise<Partial<AppOverrides>> = async () => ({}),
): Promise<FaultApp> {
  const config = loadConfig(appEnv(setting));
  const log = new LogCapture();
  const logger = createLogger(
    { level: 'debug' },
    {
      write(line: string) {
        appendToLogSink('fault-app', line);
        return log.destination.write(line);
      },
    },
  );
  const app = await startApp(config, {
    logger,
    host: '127.0.0.1',
    drainTimeoutMs: 5_000,
    manualDigests: true,
    ...(await overrides(logger)),
  });
  const url = `http://127.0.0.1:${app.port}`;
  return {
    app,
    config,
    url,
    log,
    logger,
    command: (text, options) => sendCommand(setting.slack, url, text, options),
    stop: () => app.stop(),
  };
}

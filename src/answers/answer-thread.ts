/**
 * The inside of an answer thread (src/answers/answer-threads.ts): builds the app's services as a
 * replica would, then answers each command it is handed and says so. Loaded only in a worker thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorNotice } from '../blocks/notices';
import { type AppConfig, configSecrets } from '../config';
import { answerCommand } from '../handlers/commands/answer-command';
import { parseCommand } from '../handlers/commands/parse';
import { responseUrlAnswer } from '../handlers/request';
import { SecretMask } from '../logging/mask';
import { createOutbound } from '../network/outbound';
import { proxyVariables, readProxySettings } from '../network/proxy-settings';
import type { AppServices } from '../services/app-services';
import { composeServices } from '../services/compose';
import { describeFailure } from '../services/user-errors';
import { createOAuthMode } from '../slack/oauth-mode';
import { slackApiOf } from '../slack/slack-api';
import { openStore } from '../store';
import type { FromAnswerThread, ToAnswerThread } from './messages';
import { Outbox } from './outbox';
import { threadLogger } from './thread-logger';
import { threadMetrics } from './thread-metrics';
import { lowerThisThreadsPriority } from './thread-priority';

/** What a thread is started with: plain data only (a worker's data is copied, and a URL cannot be). */
export interface AnswerThreadData {
  /** This module's file, loaded by the thread's bootstrap. */
  entry: string;
  config: Omit<AppConfig, 'proxy'> & { proxyVariables: Record<string, string> };
  botUserId: string;
  eventsPath: string;
}

export function answerThreadData(
  config: AppConfig,
  extra: { botUserId: string; eventsPath: string },
): AnswerThreadData {
  const { proxy, ...rest } = config;
  return { entry: __filename, config: { ...rest, proxyVariables: proxyVariables(proxy) }, ...extra };
}

export async function runAnswerThread(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('runAnswerThread runs only in a worker thread.');
  const data = workerData as AnswerThreadData;
  const outbox = new Outbox((batch) => port.postMessage(batch));
  const send = (message: FromAnswerThread) => outbox.send(message);
  const lowered = lowerThisThreadsPriority();
  const { proxyVariables: variables, ...rest } = data.config;
  const config: AppConfig = { ...rest, proxy: readProxySettings(variables) };
  const logger = threadLogger({
    level: config.logLevel,
    mask: new SecretMask(configSecrets(config)),
    send,
    bindings: { thread: 'answers' },
  });

  let services: AppServices;
  try {
    services = await buildServices(config, data, logger, send);
  } catch (error) {
    send({ kind: 'failed-to-start', sentence: describeFailure(error).message });
    outbox.flush();
    process.exit(1);
  }

  port.on('message', (message: ToAnswerThread) => {
    if (message.kind === 'close') void close(services);
    else void answer(services, message.id, message.fields);
  });
  logger.debug({ lowerPriority: lowered }, 'answer thread ready');
  send({ kind: 'ready' });
  outbox.flush();

  async function answer(own: AppServices, id: number, fields: Parameters<typeof answerCommand>[1]): Promise<void> {
    const ref = fields.enterpriseId
      ? { teamId: fields.teamId, enterpriseId: fields.enterpriseId }
      : { teamId: fields.teamId };
    let client: Awaited<ReturnType<AppServices['clientFor']>>;
    try {
      client = await own.clientFor(ref);
    } catch (error) {
      // Bolt authorized this workspace a moment ago, so this is a store or Slack failure: say it as any other.
      const failure = describeFailure(error);
      logger.child({ requestId: fields.requestId }).warn({ err: error }, 'no Slack client for the answer');
      await own.responseUrls
        .post(fields.responseUrl, responseUrlAnswer(errorNotice(failure.message, fields.requestId)))
        .catch((replyError: unknown) =>
          logger.warn({ err: replyError }, 'could not deliver the error message to the user'),
        );
      send({ kind: 'answered', id, subcommand: parseCommand(fields.text).kind, outcome: 'error' });
      return;
    }
    const { subcommand, outcome } = await own.inFlight.track(answerCommand(own, fields, client));
    send({ kind: 'answered', id, subcommand, outcome });
  }

  async function close(own: AppServices): Promise<void> {
    await own.inFlight.drain(10_000);
    await own.outbound.close();
    own.billing.close();
    await own.store.close();
    outbox.flush();
    process.exit(0);
  }
}

async function buildServices(
  config: AppConfig,
  data: AnswerThreadData,
  logger: ReturnType<typeof threadLogger>,
  send: (message: FromAnswerThread) => void,
): Promise<AppServices> {
  const outbound = createOutbound(config.proxy);
  const store = await openStore({
    url: config.store.url,
    dataDir: config.store.dataDir,
    encryptionKey: config.store.encryptionKey,
    previousKeys: config.store.previousKeys,
    logger,
  });
  const oauthMode = config.slack.oauth
    ? createOAuthMode({
        oauth: config.slack.oauth,
        signingSecret: config.slack.signingSecret as string,
        eventsPath: data.eventsPath,
        slackApi: slackApiOf(config.slack.apiUrl, outbound),
        store,
        logger,
      })
    : undefined;
  return composeServices({
    config,
    logger,
    now: () => new Date(),
    metrics: threadMetrics(send),
    outbound,
    store,
    botUserId: data.botUserId,
    oauthMode,
  });
}

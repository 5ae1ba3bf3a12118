import { App, HTTPReceiver, LogLevel, webApi } from '@slack/bolt';
import { scheduleOrgCheck } from './alerts/check-times';
import { answerThreadData } from './answers/answer-thread';
import { AnswerThreads } from './answers/answer-threads';
import { answerThreadCount } from './answers/thread-count';
import type { BillingClient } from './billing';
import { errorNotice } from './blocks/notices';
import { type AppConfig, configSecrets } from './config';
import { registerListeners } from './handlers';
import { responseUrlAnswer } from './handlers/request';
import { operationsRoutes } from './http/operations';
import { Readiness } from './http/readiness';
import { HttpServer } from './http/server';
import { StartupError } from './lifecycle/startup-error';
import { createLogger, type Logger } from './logger';
import { AppMetrics } from './metrics/app-metrics';
import { createOutbound } from './network/outbound';
import { usesProxy } from './network/proxy-settings';
import type { AppServices } from './services/app-services';
import { connectBootstrapOrg } from './services/bootstrap-org';
import { composeServices } from './services/compose';
import { boltLogger } from './slack/bolt-logger';
import { type BotIdentity, identityRef, whoAmI } from './slack/bot-identity';
import { createOAuthMode, type OAuthMode } from './slack/oauth-mode';
import { receiverErrorHandling } from './slack/receiver-errors';
import { slackApiOf } from './slack/slack-api';
import { socketModeReceiver } from './slack/socket-mode-receiver';
import { isStoreError, openStore, type Store } from './store';
import { parseStoreUrl } from './store/store-url';

/** Replacements for tests and the demo: a captured logger, a store on a temp dir, a fixed clock. */
export interface AppOverrides {
  logger?: Logger;
  store?: Store;
  billing?: BillingClient;
  now?: () => Date;
  /** Host to bind; default all interfaces (tests use 127.0.0.1). */
  host?: string;
  /** How long shutdown waits for answers still in flight. Default 10 s. */
  drainTimeoutMs?: number;
  /** Leave the minute job off; tests drive `services.digests.scheduler.tick(now)` themselves. */
  manualDigests?: boolean;
  /** Leave the alert job off; tests drive `services.alerts.scheduler.tick(now)` themselves. */
  manualAlerts?: boolean;
}

export interface RunningApp {
  /** The port the HTTP server listens on (Slack events in HTTP mode; health in both). */
  port: number;
  bolt: App;
  services: AppServices;
  /** Everything `/metrics` shows, answer threads' counts included. */
  metrics: AppMetrics;
  /** The Slack workspace of the bot token; undefined in OAuth mode, where any number of workspaces install the app. */
  teamId?: string;
  /** Stops taking work, waits for answers in flight, then closes Slack, gRPC and the store. */
  stop(): Promise<void>;
}

export const SLACK_EVENTS_PATH = '/slack/events';

/** The composition root: builds every part from the configuration, wires them and starts listening. */
export async function startApp(config: AppConfig, overrides: AppOverrides = {}): Promise<RunningApp> {
  const logger = overrides.logger ?? createLogger({ level: config.logLevel, secrets: configSecrets(config) });
  const now = overrides.now ?? (() => new Date());
  const metrics = new AppMetrics();
  // Every outbound connection (Slack, response URLs, uploads, Socket Mode, Viam) honours the proxy settings.
  const outbound = createOutbound(config.proxy);
  const slackApi = slackApiOf(config.slack.apiUrl, outbound);
  let identity: BotIdentity | undefined;
  let store: Store;
  try {
    // OAuth mode has no token of its own to check: each workspace's comes with its install.
    identity = config.slack.oauth ? undefined : await whoAmI(config, slackApi);
    store =
      overrides.store ??
      (await openStore({
        url: config.store.url,
        dataDir: config.store.dataDir,
        encryptionKey: config.store.encryptionKey,
        previousKeys: config.store.previousKeys,
        logger,
      }));
  } catch (error) {
    await outbound.close();
    throw error;
  }
  const oauthMode = config.slack.oauth
    ? createOAuthMode({
        oauth: config.slack.oauth,
        signingSecret: config.slack.signingSecret as string,
        eventsPath: SLACK_EVENTS_PATH,
        slackApi,
        store,
        logger,
      })
    : undefined;
  const services = composeServices({
    config,
    logger,
    now,
    metrics,
    outbound,
    store,
    billing: overrides.billing,
    botUserId: identity?.botUserId ?? '',
    oauthMode,
  });
  try {
    return await wire(config, overrides, { services, metrics, identity, oauthMode });
  } catch (error) {
    await outbound.close();
    services.billing.close();
    await store.close();
    throw error;
  }
}

async function wire(
  config: AppConfig,
  overrides: AppOverrides,
  parts: { services: AppServices; metrics: AppMetrics; identity?: BotIdentity; oauthMode?: OAuthMode },
): Promise<RunningApp> {
  const { services, identity, oauthMode } = parts;
  const { logger, billing, store } = services;
  const clientOptions = slackApiOf(config.slack.apiUrl, services.outbound);
  // A working bot token means the app is installed, so a workspace that uninstalled it earlier (and
  // was given a new token by a reinstall) may store again.
  if (identity) await store.workspaces.reviveWorkspace(identityRef(identity));
  if (config.viam.bootstrapOrg && identity) {
    await connectBootstrapOrg(config, identity, services);
    // The org from the environment is checked hourly like any connected org (a no-op once it is).
    const { teamId, enterpriseId } = identity;
    const ref = enterpriseId ? { teamId, enterpriseId } : { teamId };
    await scheduleOrgCheck(store, ref, config.viam.bootstrapOrg.orgId, services.now());
  }

  const threads = answerThreadCount(config.answerThreads, {
    injected: {
      store: overrides.store !== undefined,
      billing: overrides.billing !== undefined,
      clock: overrides.now !== undefined,
    },
    backend: parseStoreUrl(config.store.url, config.store.dataDir).kind,
  });
  if (threads > 0) {
    services.answerThreads = await AnswerThreads.start({
      count: threads,
      data: answerThreadData(config, { botUserId: services.botUserId, eventsPath: SLACK_EVENTS_PATH }),
      logger,
      metrics: services.metrics,
      reportUnanswered: (fields, sentence) =>
        services.responseUrls.post(fields.responseUrl, responseUrlAnswer(errorNotice(sentence, fields.requestId))),
    }).catch((error: unknown) => {
      throw new StartupError((error as Error).message);
    });
  }

  const receiver =
    oauthMode?.receiver ??
    (config.slack.mode === 'http'
      ? new HTTPReceiver({
          signingSecret: config.slack.signingSecret as string,
          endpoints: [SLACK_EVENTS_PATH],
          logger: boltLogger(logger),
          ...receiverErrorHandling(logger),
        })
      : undefined);
  const bolt = new App({
    token: config.slack.botToken,
    botId: identity?.botId,
    botUserId: identity?.botUserId,
    logger: boltLogger(logger),
    logLevel: LogLevel.INFO,
    clientOptions,
    // Bolt's conversation store keeps per-conversation state we never use, at a cost on every request.
    convoStore: false,
    receiver:
      receiver ??
      socketModeReceiver({
        appToken: config.slack.appToken as string,
        slackApi: clientOptions,
        dispatcher: services.outbound.dispatcher,
        logger,
      }),
    // OAuth mode: our authorize refreshes a rotating token once across replicas (src/slack/authorize.ts).
    ...(oauthMode ? { authorize: oauthMode.authorize } : {}),
  });
  bolt.error(async (error) => {
    logger.error({ err: error }, 'unhandled error in a Slack listener');
  });
  registerListeners(bolt, services);

  const server = new HttpServer({
    logger,
    routes: operationsRoutes({
      readiness: readinessOf(config, services),
      metrics: parts.metrics,
    }),
    slack: receiver
      ? {
          paths: oauthMode?.paths ?? [SLACK_EVENTS_PATH],
          eventsPath: SLACK_EVENTS_PATH,
          listener: oauthMode?.requestListener ?? receiver.requestListener,
        }
      : undefined,
  });
  const port = await server.listen(config.port, overrides.host);
  if (config.slack.mode === 'socket') await bolt.start();
  if (!overrides.manualDigests) services.digests.scheduler.start();
  if (!overrides.manualAlerts) services.alerts.scheduler.start();
  services.revocations?.ticker.start();
  logger.info(
    {
      mode: config.slack.mode,
      oauth: oauthMode !== undefined,
      port,
      team: identity?.teamId,
      // Whether outbound connections go through a proxy; its address stays out of the log (it may hold a password).
      proxy: usesProxy(config.proxy),
      answerThreads: threads,
    },
    'viam billing app started',
  );

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      logger.info({ inFlight: services.inFlight.size }, 'shutting down');
      await Promise.all([
        services.digests.scheduler.stop(),
        services.alerts.scheduler.stop(),
        services.revocations?.ticker.stop(),
      ]);
      if (config.slack.mode === 'socket')
        await bolt.stop().catch((error) => logger.warn({ err: error }, 'socket close failed'));
      await server.close();
      const drained = await services.inFlight.drain(overrides.drainTimeoutMs ?? 10_000);
      if (!drained) logger.warn({ inFlight: services.inFlight.size }, 'gave up waiting for work in flight');
      await services.answerThreads?.close();
      await services.outbound.close();
      billing.close();
      await store.close();
      logger.info({}, 'stopped');
    })();
    return stopping;
  };
  return { port, bolt, services, metrics: parts.metrics, teamId: identity?.teamId, stop };
}

/** /readyz: the store answers and Slack accepts the bot token. Failures are logged by code, never with the token. */
function readinessOf(config: AppConfig, services: AppServices): Readiness {
  const slack = new webApi.WebClient(config.slack.botToken, {
    ...slackApiOf(config.slack.apiUrl, services.outbound),
    retryConfig: { retries: 0 },
    timeout: 5_000,
    logger: boltLogger(services.logger),
  });
  return new Readiness({
    pingStore: () => services.store.ping(),
    pingSlack: async () => {
      if (config.slack.botToken) {
        await slack.auth.test();
        return;
      }
      // OAuth mode has no single token to prove: any answer of Slack's Web API shows it is reachable.
      await slack.apiCall('api.test').catch((error: unknown) => {
        if (!(error instanceof webApi.WebAPIPlatformError)) throw error;
      });
    },
    onFailure: (check, error) => {
      if (check === 'store' && isStoreError(error)) services.metrics.storeError(error.kind);
      const code =
        error instanceof webApi.WebAPIPlatformError
          ? error.data.error
          : ((error as { code?: unknown }).code ?? 'unknown');
      services.logger.warn({ check, code: String(code) }, 'readiness check failed');
    },
  });
}

export { StartupError };

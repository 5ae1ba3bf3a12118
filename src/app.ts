import { App, HTTPReceiver, LogLevel, webApi } from '@slack/bolt';
import { scheduleOrgCheck } from './alerts/check-times';
import { AlertRunner } from './alerts/runner';
import { AlertScheduler } from './alerts/scheduler';
import { AuditTrail } from './audit/trail';
import { type BillingClient, createBillingClient } from './billing';
import { Budgets } from './budgets/budgets';
import { type AppConfig, configSecrets } from './config';
import { DigestCharts } from './digest/charts';
import { ChannelPacer, realSleep } from './digest/pacing';
import { DigestRunner } from './digest/runner';
import { checkIntervalPattern, DigestScheduler } from './digest/scheduler';
import { DigestSchedules } from './digest/schedules';
import { registerListeners } from './handlers';
import { forgetWorkspace } from './handlers/events/workspace-cleanup';
import { operationsRoutes } from './http/operations';
import { Readiness } from './http/readiness';
import { HttpServer } from './http/server';
import { AnswerLane } from './lifecycle/answer-lane';
import { InFlight } from './lifecycle/in-flight';
import { requestContextFields } from './lifecycle/request-context';
import { StartupError } from './lifecycle/startup-error';
import { createLogger, type Logger } from './logger';
import { AppMetrics } from './metrics/app-metrics';
import { recordDigestOutcome } from './metrics/digest-results';
import { createOutbound } from './network/outbound';
import { usesProxy } from './network/proxy-settings';
import type { AppServices } from './services/app-services';
import { connectBootstrapOrg } from './services/bootstrap-org';
import { SlackUsers } from './services/slack-users';
import { digestChartDrawing } from './services/spend-chart';
import { boltLogger } from './slack/bolt-logger';
import { type BotIdentity, identityRef, whoAmI } from './slack/bot-identity';
import { createOAuthMode, type OAuthMode } from './slack/oauth-mode';
import { receiverErrorHandling } from './slack/receiver-errors';
import { ResponseUrlClient } from './slack/response-url';
import { Revocations } from './slack/revocations';
import { slackApiOf } from './slack/slack-api';
import { socketModeReceiver } from './slack/socket-mode-receiver';
import { isStoreError, openStore, type Store, type WorkspaceRef } from './store';

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
  // Answer work waits its turn behind new requests, so acks never queue behind answers.
  const answerLane = new AnswerLane();
  const billing =
    overrides.billing ??
    createBillingClient({
      url: config.viam.appUrl,
      proxy: config.proxy,
      logger: logger.child({ component: 'billing' }),
      observe: (event) => metrics.viamCall(event),
      logFields: requestContextFields,
      beforeResult: () => answerLane.turn(),
    });
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
  // Single-token mode serves one workspace: every digest posts with the bot token. In OAuth mode each
  // workspace's digests post with the token of its own install.
  // Retries stay well inside the run's claim (5 min), so a second replica never takes over a run still retrying.
  const slackClient = oauthMode
    ? undefined
    : new webApi.WebClient(config.slack.botToken, {
        ...slackApi,
        retryConfig: { retries: 3, maxRetryTime: 60_000 },
        // Rate-limit notices go to our JSON log, not to the console as plain text.
        logger: boltLogger(logger),
      });
  const clientFor = oauthMode
    ? (ref: WorkspaceRef) => oauthMode.clients.clientFor(ref)
    : async () => slackClient as webApi.WebClient;
  const budgets = new Budgets(store, logger);
  const budgetFor = (ref: WorkspaceRef, orgId: string) => budgets.amountFor(ref, orgId);
  // Digests, their charts and alerts to one channel queue behind each other.
  const pacer = new ChannelPacer({ now, sleep: realSleep });
  const charts = config.digest.charts
    ? new DigestCharts({
        store,
        clientFor,
        dispatcher: outbound.dispatcher,
        draw: digestChartDrawing({ store, budgetFor }),
        pacer,
        logger,
        now,
        // Every 10 s, or as often as digests are checked when that is more often.
        cronPattern: checkIntervalPattern(Math.min(10, config.digest.checkIntervalSeconds)),
      })
    : undefined;
  const runner = new DigestRunner({
    store,
    billing,
    logger,
    now,
    clientFor,
    budgetFor,
    pacer,
    ...(charts ? { charts } : {}),
  });
  const alertRunner = new AlertRunner({
    store,
    billing,
    logger,
    now,
    clientFor,
    pacer,
    onAlert: (kind, outcome) => metrics.alert(kind, outcome),
  });
  const services: AppServices = {
    store,
    billing,
    logger,
    now,
    slackUsers: new SlackUsers(now),
    inFlight: new InFlight(),
    answerLane,
    outbound,
    responseUrls: new ResponseUrlClient(outbound.dispatcher),
    botUserId: identity?.botUserId ?? '',
    digests: {
      schedules: new DigestSchedules(store, logger, now),
      scheduler: new DigestScheduler({
        runner,
        logger,
        now,
        graceMs: config.digest.graceHours * 60 * 60_000,
        cronPattern: checkIntervalPattern(config.digest.checkIntervalSeconds),
        onOutcome: (outcome) => recordDigestOutcome(metrics, outcome),
      }),
    },
    budgets,
    alerts: {
      scheduler: new AlertScheduler({
        runner: alertRunner,
        store,
        budgets,
        logger,
        now,
        intervalMinutes: config.alerts.checkIntervalMinutes,
        onCheck: (report) => metrics.alertCheck(report.error === undefined ? 'ok' : 'failed'),
      }),
    },
    metrics,
    audit: new AuditTrail(store, now),
    ...(oauthMode
      ? {
          installations: oauthMode.installations,
          revocations: new Revocations({
            store,
            installations: oauthMode.installations,
            retentionDays: config.revokedRetentionDays,
            // Called only once the app runs, when `services` is complete.
            purge: (scope) => forgetWorkspace(services, scope, logger).then(() => undefined),
            logger,
            now,
          }),
        }
      : {}),
  };
  try {
    return await wire(config, overrides, services, identity, oauthMode);
  } catch (error) {
    await outbound.close();
    billing.close();
    await store.close();
    throw error;
  }
}

async function wire(
  config: AppConfig,
  overrides: AppOverrides,
  services: AppServices,
  identity: BotIdentity | undefined,
  oauthMode: OAuthMode | undefined,
): Promise<RunningApp> {
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
      metrics: services.metrics,
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
      await services.outbound.close();
      billing.close();
      await store.close();
      logger.info({}, 'stopped');
    })();
    return stopping;
  };
  return { port, bolt, services, teamId: identity?.teamId, stop };
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

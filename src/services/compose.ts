import { webApi } from '@slack/bolt';
import { AlertRunner } from '../alerts/runner';
import { AlertScheduler } from '../alerts/scheduler';
import { AuditTrail } from '../audit/trail';
import { type BillingClient, createBillingClient } from '../billing';
import { Budgets } from '../budgets/budgets';
import type { AppConfig } from '../config';
import { ChannelPacer, realSleep } from '../digest/pacing';
import { checkIntervalPattern, DigestScheduler } from '../digest/scheduler';
import { DigestSchedules } from '../digest/schedules';
import { forgetWorkspace } from '../handlers/events/workspace-cleanup';
import { AnswerLane } from '../lifecycle/answer-lane';
import { InFlight } from '../lifecycle/in-flight';
import type { Logger } from '../logger';
import type { MetricEvents } from '../metrics/app-metrics';
import { recordDigestOutcome } from '../metrics/digest-results';
import type { Outbound } from '../network/outbound';
import { boltLogger } from '../slack/bolt-logger';
import type { OAuthMode } from '../slack/oauth-mode';
import { ResponseUrlClient } from '../slack/response-url';
import { Revocations } from '../slack/revocations';
import { slackApiOf } from '../slack/slack-api';
import type { Store, WorkspaceRef } from '../store';
import type { AppServices } from './app-services';
import { digestDelivery } from './digest-delivery';
import { SlackUsers } from './slack-users';

export interface ServiceParts {
  config: AppConfig;
  logger: Logger;
  now: () => Date;
  metrics: MetricEvents;
  outbound: Outbound;
  store: Store;
  /** A replacement billing client (tests); else one for `config.viam.appUrl`. */
  billing?: BillingClient;
  botUserId: string;
  oauthMode?: OAuthMode;
}

/**
 * Everything a listener may call, built from the configuration and the parts that need starting
 * first. The app's main thread and its answer threads (src/answers) build theirs here, so both
 * answer with the same services.
 */
export function composeServices(input: ServiceParts): AppServices {
  const { config, logger, now, metrics, outbound, store, oauthMode } = input;
  const slackApi = slackApiOf(config.slack.apiUrl, outbound);
  // Answer work waits its turn behind new requests, so acks never queue behind answers.
  const answerLane = new AnswerLane();
  const billing =
    input.billing ??
    createBillingClient({
      url: config.viam.appUrl,
      proxy: config.proxy,
      logger: logger.child({ component: 'billing' }),
      observe: (event) => metrics.viamCall(event),
      beforeResult: () => answerLane.turn(),
    });
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
  const { runner } = digestDelivery({
    store,
    billing,
    logger,
    now,
    clientFor,
    budgetFor,
    pacer,
    dispatcher: outbound.dispatcher,
    // Every 10 s, or as often as digests are checked when that is more often.
    charts: config.digest.charts && {
      cronPattern: checkIntervalPattern(Math.min(10, config.digest.checkIntervalSeconds)),
    },
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
    botUserId: input.botUserId,
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
    clientFor,
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
  return services;
}

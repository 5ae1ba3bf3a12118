import type { webApi } from '@slack/bolt';
import type { AlertScheduler } from '../alerts/scheduler';
import type { AnswerThreads } from '../answers/answer-threads';
import type { AuditTrail } from '../audit/trail';
import type { BillingClient } from '../billing';
import type { Budgets } from '../budgets/budgets';
import type { DigestScheduler } from '../digest/scheduler';
import type { DigestSchedules } from '../digest/schedules';
import type { AnswerLane } from '../lifecycle/answer-lane';
import type { InFlight } from '../lifecycle/in-flight';
import type { Logger } from '../logger';
import type { MetricEvents } from '../metrics/app-metrics';
import type { Outbound } from '../network/outbound';
import type { KeyvInstallationStore } from '../slack/installation-store';
import type { ResponseUrlClient } from '../slack/response-url';
import type { Revocations } from '../slack/revocations';
import type { Store, WorkspaceRef } from '../store';
import type { SlackUsers } from './slack-users';

/** Everything a listener may call, built once by the composition root (src/app.ts). */
export interface AppServices {
  store: Store;
  billing: BillingClient;
  slackUsers: SlackUsers;
  logger: Logger;
  inFlight: InFlight;
  /** Turns for answer work, so new requests are read and acked first (src/lifecycle/answer-lane.ts). */
  answerLane: AnswerLane;
  /** Every outbound HTTP connection's transport, through the proxy when one is set (src/network/outbound.ts). */
  outbound: Outbound;
  /** Answers to Slack's response URLs (see src/slack/response-url.ts). */
  responseUrls: ResponseUrlClient;
  now: () => Date;
  /**
   * The app's own bot user. Orgs connected from VIAM_* at start are recorded as connected by it, and
   * a bot is nobody to ask for access, so the people named in refusals leave it out. Empty in OAuth
   * mode, where no org is connected from the environment.
   */
  botUserId: string;
  digests: { schedules: DigestSchedules; scheduler: DigestScheduler };
  /** Monthly budget and alert channel per connected org. */
  budgets: Budgets;
  /** Budget threshold and invoice alerts, checked on a schedule. */
  alerts: { scheduler: AlertScheduler };
  /** Counters and histograms behind `/metrics`, one set per app instance (an answer thread passes its counts to it). */
  metrics: MetricEvents;
  /** The Slack client for work of the app's own (digests, answers on an answer thread): the bot token, or the workspace's install. */
  clientFor: (ref: WorkspaceRef) => Promise<webApi.WebClient>;
  /** Threads that answer `/viam-usage` off the acking thread; absent when answers run where they are acked. */
  answerThreads?: AnswerThreads;
  /** Who changed connections, access and digests in each workspace. */
  audit: AuditTrail;
  /** Slack installations; present in OAuth mode only (one token for one workspace otherwise). */
  installations?: KeyvInstallationStore;
  /** Revoked bot tokens: the installation kept until a reinstall or the purge; OAuth mode only. */
  revocations?: Revocations;
}

import type { webApi } from '@slack/bolt';
import type { BillingClient } from '../billing';
import type { SlackMessage } from '../blocks/message';
import { errorNotice } from '../blocks/notices';
import { shortId } from '../lifecycle/short-id';
import type { Logger } from '../logger';
import type { RequestOutcome } from '../metrics/app-metrics';
import type { AppServices } from '../services/app-services';
import { describeFailure } from '../services/user-errors';
import { isStoreError, type WorkspaceRef } from '../store';

/**
 * One user request (a command, a button press, a form), as every listener sees it: who asked, where,
 * and how to answer. Listeners build it from Bolt's arguments and then only speak to services.
 */
export interface SlackRequest {
  ref: WorkspaceRef;
  userId: string;
  /** The channel (or DM) the request came from; absent for App Home. */
  channelId?: string;
  triggerId?: string;
  /** Short ID shown with errors and in every log line of the request, so a user report finds its logs. */
  requestId: string;
  /** Request ID, team and command: bound to `logger` and to `billing`'s log lines. */
  logFields: Readonly<Record<string, string>>;
  /** Viam's billing reads for this request: the app's client, its log lines carrying `logFields`. */
  billing: BillingClient;
  client: webApi.WebClient;
  logger: Logger;
  services: AppServices;
  /** Answers the user: only to them unless `share` posts it in the channel. */
  reply(message: SlackMessage, options?: { share?: boolean }): Promise<void>;
  /** Notes that the caller was refused for lack of rights, so metrics count the request as refused. */
  markRefused(): void;
  readonly refused: boolean;
}

export interface RequestSource {
  teamId: string;
  enterpriseId?: string;
  userId: string;
  channelId?: string;
  triggerId?: string;
  /** Where Slack takes answers to this request (commands and message buttons have one). */
  responseUrl?: string;
  client: webApi.WebClient;
  /** The listener's name, for logs. */
  listener: string;
  /** What was asked (a subcommand such as `usage`); defaults to the listener's name. In every log line. */
  command?: string;
  /** Set when the request already has an ID (given where it was acked); a new one otherwise. */
  requestId?: string;
}

export function newRequestId(): string {
  return shortId();
}

export function buildRequest(source: RequestSource, services: AppServices): SlackRequest {
  const requestId = source.requestId ?? newRequestId();
  const ref: WorkspaceRef = source.enterpriseId
    ? { teamId: source.teamId, enterpriseId: source.enterpriseId }
    : { teamId: source.teamId };
  const logFields = { requestId, team: source.teamId, command: source.command ?? source.listener };
  const logger = services.logger.child({ ...logFields, user: source.userId, listener: source.listener });
  let refused = false;
  return {
    ref,
    userId: source.userId,
    channelId: source.channelId,
    triggerId: source.triggerId,
    requestId,
    logFields,
    billing: services.billing.withLogFields(logFields),
    client: source.client,
    logger,
    services,
    reply: async (message, options = {}) => {
      if (!source.responseUrl) throw new Error('This request cannot be answered through a response URL.');
      await services.responseUrls.post(source.responseUrl, responseUrlAnswer(message, options));
    },
    markRefused: () => {
      refused = true;
    },
    get refused() {
      return refused;
    },
  };
}

/** A new message at a response URL: only to the user who asked unless `share` posts it in the channel. */
export function responseUrlAnswer(message: SlackMessage, options: { share?: boolean } = {}): object {
  return {
    response_type: options.share ? 'in_channel' : 'ephemeral',
    replace_original: false,
    text: message.text,
    blocks: message.blocks,
  };
}

/**
 * Runs a listener's work and turns any failure into one sentence for the user, with the request ID;
 * the details go to the log. If even that answer cannot be delivered (an expired response URL), the
 * log keeps the failure.
 */
export async function answering(request: SlackRequest, work: () => Promise<void>): Promise<RequestOutcome> {
  try {
    // The ack is out; what follows waits until requests that arrived meanwhile were read and acked.
    await request.services.answerLane.turn();
    await work();
    return request.refused ? 'refused' : 'ok';
  } catch (error) {
    if (isStoreError(error)) request.services.metrics.storeError(error.kind);
    const failure = describeFailure(error);
    const log = failure.expected ? request.logger.warn.bind(request.logger) : request.logger.error.bind(request.logger);
    log({ err: error }, 'request failed');
    try {
      await request.reply(errorNotice(failure.message, request.requestId));
    } catch (replyError) {
      request.logger.warn({ err: replyError }, 'could not deliver the error message to the user');
    }
    return 'error';
  }
}

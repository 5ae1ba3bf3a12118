/**
 * Why a digest run failed, sorted into what to do next: try again later (transient), or stop and tell
 * the channel once (permanent). Sentences are user-safe; codes go to the log.
 */
import { webApi } from '@slack/bolt';
import { isViamBillingError } from '../billing/errors';
import { isStoreError } from '../store';

export type RunFailure =
  | { transient: true; code: string }
  | {
      transient: false;
      code: string;
      /** Completes "This week's Viam digest could not be prepared: …". */
      sentence: string;
      /** False when the failure is the channel or the token itself, so a notice there cannot go out either. */
      canNotify: boolean;
    };

export const KEY_REJECTED_SENTENCE =
  'the Viam key was revoked or lost access, an admin must reconnect the org with `/viam-usage connect`';
const AFTER_RETRIES = 'even after retrying for hours. The next digest will try again next week';

/** The permanent failure a transient one becomes when its retries run out of grace window. */
export function retriesExhausted(code: string | undefined): RunFailure & { transient: false } {
  const cause = code ?? 'unknown';
  const what = cause.startsWith('viam_')
    ? 'Viam could not be reached'
    : cause.startsWith('slack_')
      ? 'Slack did not take the message'
      : cause.startsWith('store_')
        ? "the app's storage could not be reached"
        : 'it kept failing';
  return {
    transient: false,
    code: `retries_exhausted:${cause}`,
    sentence: `${what}, ${AFTER_RETRIES}`,
    canNotify: true,
  };
}

/** Thrown by the runner itself when the schedule's org is no longer connected to the workspace. */
export class OrgDisconnectedError extends Error {
  override readonly name = 'OrgDisconnectedError';
  constructor(readonly orgLabel: string) {
    super('the org of this digest is no longer connected');
  }
}

/** Slack errors that mean the bot cannot post in that channel (so no notice can go there either). */
const CHANNEL_ERRORS: Readonly<Record<string, string>> = {
  not_in_channel: 'the app is not a member of this channel; invite it with `/invite @viam-billing`',
  channel_not_found: 'the channel no longer exists or the app cannot see it',
  is_archived: 'the channel is archived',
};

/** Slack errors about the app's token or installation: nothing can be posted anywhere in the workspace. */
const TOKEN_ERRORS = new Set([
  'invalid_auth',
  'token_revoked',
  'account_inactive',
  'not_authed',
  'team_access_not_granted',
]);

/** Slack platform errors that go away by themselves. */
const TRANSIENT_SLACK_ERRORS = new Set([
  'ratelimited',
  'service_unavailable',
  'internal_error',
  'fatal_error',
  'request_timeout',
]);

export function classifyFailure(error: unknown): RunFailure {
  if (error instanceof OrgDisconnectedError) {
    return {
      transient: false,
      code: 'org_disconnected',
      sentence: `the org this digest reports on is no longer connected. An admin can reconnect it with \`/viam-usage connect\`, or point the digest at another org with \`/viam-usage digest #channel --org <label>\``,
      canNotify: true,
    };
  }

  if (isViamBillingError(error)) {
    if (error.kind === 'unavailable' || error.kind === 'deadline_exceeded' || error.kind === 'internal') {
      return { transient: true, code: `viam_${error.kind}` };
    }
    if (error.kind === 'unauthenticated' || error.kind === 'permission_denied') {
      return { transient: false, code: `viam_${error.kind}`, sentence: KEY_REJECTED_SENTENCE, canNotify: true };
    }
    return { transient: false, code: `viam_${error.kind}`, sentence: error.message, canNotify: true };
  }

  if (isStoreError(error)) {
    if (error.kind === 'unavailable') return { transient: true, code: 'store_unavailable' };
    if (error.kind === 'not_found') {
      // revealApiKey's answer when the org was disconnected between reading the workspace and the key.
      return classifyFailure(new OrgDisconnectedError(''));
    }
    return { transient: false, code: `store_${error.kind}`, sentence: error.message, canNotify: true };
  }

  if (error instanceof webApi.WebAPIPlatformError) {
    const code = error.data.error;
    const channelSentence = CHANNEL_ERRORS[code];
    if (channelSentence)
      return { transient: false, code: `slack_${code}`, sentence: channelSentence, canNotify: false };
    if (TOKEN_ERRORS.has(code)) {
      return { transient: false, code: `slack_${code}`, sentence: 'Slack no longer accepts the app', canNotify: false };
    }
    if (TRANSIENT_SLACK_ERRORS.has(code)) return { transient: true, code: `slack_${code}` };
    return {
      transient: false,
      code: `slack_${code}`,
      sentence: `Slack refused the message (${code.replace(/[^a-z0-9_]/g, '').slice(0, 40)})`,
      canNotify: true,
    };
  }
  if (
    error instanceof webApi.WebAPIRateLimitedError ||
    error instanceof webApi.WebAPIHTTPError ||
    error instanceof webApi.WebAPIRequestError
  ) {
    return { transient: true, code: error.code.replace(/^slack_webapi_/, 'slack_') };
  }
  // Unknown: most likely a network hiccup surfacing oddly; retries are bounded by the grace window.
  return { transient: true, code: 'unexpected' };
}

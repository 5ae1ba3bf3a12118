import { webApi } from '@slack/bolt';
import { isViamBillingError } from '../billing/errors';
import { isStoreError } from '../store';

const SLACK_NO_LONGER_ACCEPTS = 'Slack no longer accepts this app in this workspace. An admin must reinstall it.';

/** Slack API errors a user can fix themselves (or tell an admin to), in one sentence each. */
const SLACK_ERROR_SENTENCES: Readonly<Record<string, string>> = {
  not_in_channel: 'I am not a member of this channel. Invite me with `/invite @viam-billing` and try again.',
  channel_not_found:
    'I cannot see this channel. If it is private, invite me with `/invite @viam-billing` and try again.',
  is_archived: 'This channel is archived, so I cannot post in it.',
  file_uploads_disabled: 'File uploads are turned off in this workspace, so I cannot share the file here.',
  file_upload_size_restricted: 'This workspace does not allow files as large as this one.',
  expired_trigger_id: 'Slack took too long to open the form. Run the command again.',
  invalid_auth: SLACK_NO_LONGER_ACCEPTS,
  token_revoked: SLACK_NO_LONGER_ACCEPTS,
  account_inactive: SLACK_NO_LONGER_ACCEPTS,
  not_authed: SLACK_NO_LONGER_ACCEPTS,
  restricted_action: 'A workspace setting stops me from posting here. Ask an admin to allow the app in this channel.',
};

/** Slack's upload host refused a file's bytes for good; nothing was shared. */
export class UploadRefused extends Error {
  override readonly name = 'UploadRefused';
}

export interface UserFacingError {
  /** One sentence telling the user what happened and what to do. */
  message: string;
  /** Expected failures (bad key, Viam down, not in channel) are logged at warn; the rest at error. */
  expected: boolean;
}

const UNEXPECTED = 'Something went wrong on our side. Try again, and tell your admin if it keeps happening.';

export function describeFailure(error: unknown): UserFacingError {
  if (isViamBillingError(error)) return { message: error.message, expected: error.kind !== 'internal' };
  if (isStoreError(error)) return { message: error.message, expected: error.kind !== 'unavailable' };
  const slackCode = slackErrorCode(error);
  if (slackCode && SLACK_ERROR_SENTENCES[slackCode]) {
    return { message: SLACK_ERROR_SENTENCES[slackCode], expected: true };
  }
  if (error instanceof UploadRefused) {
    return { message: 'Slack did not take the file just now. Try again in a minute.', expected: true };
  }
  if (error instanceof webApi.WebAPIRateLimitedError) {
    return { message: 'Slack is rate-limiting this app right now. Try again in a minute.', expected: true };
  }
  return { message: UNEXPECTED, expected: false };
}

/** The `error` field of a failed Slack Web API call (`not_in_channel`, …), if that is what this is. */
export function slackErrorCode(error: unknown): string | undefined {
  if (error instanceof webApi.WebAPIPlatformError) return error.data.error;
  return undefined;
}

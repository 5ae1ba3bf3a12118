import { webApi } from '@slack/bolt';
import type { SlackStandIn } from '../../../dev/slack-stand-in';

/** Slack's `[ERROR]` response messages are logged by the WebClient; tests assert on them instead. */
export const silentLogger: webApi.Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => webApi.LogLevel.ERROR,
  setName: () => {},
};

/** A real WebClient aimed at the stand-in, with retries off so a failure surfaces at once. */
export function clientFor(
  standIn: SlackStandIn,
  token: string | undefined,
  options: webApi.WebClientOptions = {},
): webApi.WebClient {
  return new webApi.WebClient(token, {
    slackApiUrl: standIn.url,
    retryConfig: { retries: 0 },
    logger: silentLogger,
    ...options,
  });
}

/** The `ok: false` error a call failed with; fails the test if it succeeded or failed another way. */
export async function platformError(call: Promise<unknown>): Promise<webApi.WebAPIPlatformError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof webApi.WebAPIPlatformError) return error;
    throw error;
  }
  throw new Error('expected the Web API call to fail');
}

/** Just the Slack error code of a failed call. */
export async function slackError(call: Promise<unknown>): Promise<string> {
  return (await platformError(call)).data.error;
}

import type { webApi } from '@slack/bolt';
import type { Outbound } from '../network/outbound';

/**
 * Where Slack's Web API is (SLACK_API_URL, else Slack's own) and the fetch that reaches it (the app's
 * outbound one, through the proxy when set). Every Web API client of the app spreads these options,
 * so none of them can go around the proxy.
 */
export type SlackApi = Pick<webApi.WebClientOptions, 'slackApiUrl' | 'fetch'>;

export function slackApiOf(apiUrl: string | undefined, outbound: Pick<Outbound, 'fetch'>): SlackApi {
  return { ...(apiUrl ? { slackApiUrl: apiUrl } : {}), fetch: outbound.fetch };
}

/**
 * Posting a message so it can be found again. Each message carries Slack message metadata naming its
 * run (`event_type`, `event_payload.run_id`), so after a crash between "posted" and "recorded" the
 * next attempt can look in the channel's recent history for its own message instead of posting a
 * second one.
 */
import type { webApi } from '@slack/bolt';
import type { SlackMessage } from '../blocks/message';
import type { Logger } from '../logger';
import { findInPages, type MessagePage } from './paged-search';

/** Slack's clock and ours may disagree a little; look a bit further back than the claim. */
const RECONCILE_SKEW_SECONDS = 120;
const HISTORY_PAGE = 20;
const HISTORY_MAX_PAGES = 5;

export async function postTagged(
  client: webApi.WebClient,
  channelId: string,
  message: SlackMessage,
  eventType: string,
  runId: string,
): Promise<string> {
  const result = await client.chat.postMessage({
    channel: channelId,
    text: message.text,
    blocks: message.blocks,
    metadata: { event_type: eventType, event_payload: { run_id: runId } },
    unfurl_links: false,
    unfurl_media: false,
  });
  if (typeof result.ts !== 'string') throw new Error('chat.postMessage answered without a ts');
  return result.ts;
}

/**
 * The ts of our message for `runId` posted since `since`, or undefined when there is none. Without
 * the history scopes nothing can be checked; that is logged and treated as "not posted", because a
 * possible duplicate is better than a message never sent.
 */
export async function findTagged(
  client: webApi.WebClient,
  channelId: string,
  since: Date,
  eventType: string,
  runId: string,
  logger: Logger,
): Promise<string | undefined> {
  const oldest = String(Math.max(0, Math.floor(since.getTime() / 1000) - RECONCILE_SKEW_SECONDS));
  return findInPages(
    (cursor) =>
      client.conversations.history({
        channel: channelId,
        oldest,
        include_all_metadata: true,
        limit: HISTORY_PAGE,
        ...(cursor ? { cursor } : {}),
      }) as Promise<MessagePage>,
    (message) => {
      const metadata = message.metadata as { event_type?: unknown; event_payload?: { run_id?: unknown } } | undefined;
      return metadata?.event_type === eventType && metadata.event_payload?.run_id === runId;
    },
    {
      maxPages: HISTORY_MAX_PAGES,
      channelId,
      unchecked: 'cannot check whether an interrupted post went out; posting it',
      logger,
    },
  );
}

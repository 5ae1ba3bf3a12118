/**
 * Finding a file share left in doubt. A file shared into a thread cannot carry message metadata, but
 * its ID is known before it is shared (src/services/file-upload.ts uploads, then shares), so after a
 * crash or a lost answer the next attempt looks for a reply holding that file instead of sharing a
 * second copy.
 */
import { webApi } from '@slack/bolt';
import type { Logger } from '../logger';

const REPLIES_PAGE = 100;
const REPLIES_MAX_PAGES = 5;

/**
 * The ts of the reply in `threadTs` that holds `fileId`, or undefined when there is none. Without the
 * history scopes nothing can be checked; that is logged and treated as "not shared", because a possible
 * second copy is better than a chart never shared.
 */
export async function findFileInThread(
  client: webApi.WebClient,
  channelId: string,
  threadTs: string,
  fileId: string,
  logger: Logger,
): Promise<string | undefined> {
  let cursor: string | undefined;
  for (let page = 0; page < REPLIES_MAX_PAGES; page++) {
    let result: webApi.ConversationsRepliesResponse;
    try {
      result = await client.conversations.replies({
        channel: channelId,
        ts: threadTs,
        limit: REPLIES_PAGE,
        ...(cursor ? { cursor } : {}),
      });
    } catch (error) {
      if (error instanceof webApi.WebAPIPlatformError && error.data.error === 'missing_scope') {
        logger.warn(
          { channel: channelId, needed: 'channels:history, groups:history' },
          'cannot check whether an interrupted file share went out; sharing it',
        );
        return undefined;
      }
      throw error;
    }
    for (const message of result.messages ?? []) {
      if (message.ts && message.files?.some((file) => file.id === fileId)) return message.ts;
    }
    cursor = result.response_metadata?.next_cursor || undefined;
    if (!result.has_more || !cursor) return undefined;
  }
  return undefined;
}

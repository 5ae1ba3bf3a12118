/**
 * Finding a file share left in doubt. A file shared into a thread cannot carry message metadata, but
 * its ID is known before it is shared (src/services/file-upload.ts uploads, then shares), so after a
 * crash or a lost answer the next attempt looks for a reply holding that file instead of sharing a
 * second copy.
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from '../logger';
import { findInPages, type MessagePage } from './paged-search';

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
  return findInPages(
    (cursor) =>
      client.conversations.replies({
        channel: channelId,
        ts: threadTs,
        limit: REPLIES_PAGE,
        ...(cursor ? { cursor } : {}),
      }) as Promise<MessagePage>,
    (message) => ((message.files ?? []) as Array<{ id?: string }>).some((file) => file.id === fileId),
    {
      maxPages: REPLIES_MAX_PAGES,
      channelId,
      unchecked: 'cannot check whether an interrupted file share went out; sharing it',
      logger,
    },
  );
}

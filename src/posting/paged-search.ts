import { webApi } from '@slack/bolt';
import type { Logger } from '../logger';

/** One page of conversations.history or conversations.replies, as far as a search needs it. */
export interface MessagePage {
  messages?: Array<{ ts?: string } & Record<string, unknown>>;
  has_more?: boolean;
  response_metadata?: { next_cursor?: string };
}

/**
 * The ts of the first message `matches` accepts, reading at most `maxPages` pages, or undefined. A
 * missing history scope means nothing can be checked: that is logged (`unchecked` says what) and taken
 * as "not there", because a possible second copy is better than nothing ever sent.
 */
export async function findInPages(
  fetchPage: (cursor: string | undefined) => Promise<MessagePage>,
  matches: (message: Record<string, unknown>) => boolean,
  options: { maxPages: number; channelId: string; unchecked: string; logger: Logger },
): Promise<string | undefined> {
  let cursor: string | undefined;
  for (let page = 0; page < options.maxPages; page++) {
    let result: MessagePage;
    try {
      result = await fetchPage(cursor);
    } catch (error) {
      if (error instanceof webApi.WebAPIPlatformError && error.data.error === 'missing_scope') {
        options.logger.warn(
          { channel: options.channelId, needed: 'channels:history, groups:history' },
          options.unchecked,
        );
        return undefined;
      }
      throw error;
    }
    const found = (result.messages ?? []).find((message) => typeof message.ts === 'string' && matches(message));
    if (found) return found.ts;
    cursor = result.response_metadata?.next_cursor || undefined;
    if (!result.has_more || !cursor) return undefined;
  }
  return undefined;
}

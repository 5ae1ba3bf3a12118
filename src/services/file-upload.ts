import type { webApi } from '@slack/bolt';
import type { Logger } from '../logger';
import { slackErrorCode } from './user-errors';

export interface ChannelFile {
  client: webApi.WebClient;
  /** A channel, or the DM with the app. */
  channelId: string;
  /** Shares the file as a reply in this message's thread. */
  threadTs?: string;
  file: Buffer;
  filename: string;
  title: string;
  /** The message that carries the file; mrkdwn, already escaped. */
  initialComment?: string;
  /** For screen readers (images). */
  altText?: string;
  /** What is being shared, for the log line when the app has to join the channel first. */
  what: string;
  logger: Logger;
}

/**
 * Shares a file into a channel with files.uploadV2. Uploading needs real membership (unlike posting
 * with chat:write.public), so when the app is not in a public channel it joins it (scope
 * channels:join) and tries once more; private channels need an /invite, and that Slack error is left
 * for the caller to turn into a sentence.
 */
export async function shareFileInChannel(upload: ChannelFile): Promise<{ fileId?: string }> {
  const destination = upload.threadTs
    ? { channel_id: upload.channelId, thread_ts: upload.threadTs }
    : { channel_id: upload.channelId };
  const send = async () =>
    firstFileId(
      await upload.client.filesUploadV2({
        ...destination,
        file: upload.file,
        filename: upload.filename,
        title: upload.title,
        ...(upload.initialComment === undefined ? {} : { initial_comment: upload.initialComment }),
        ...(upload.altText === undefined ? {} : { alt_text: upload.altText }),
      }),
    );
  try {
    return { fileId: await send() };
  } catch (error) {
    if (slackErrorCode(error) !== 'not_in_channel' || !upload.channelId.startsWith('C')) throw error;
    upload.logger.info({ channel: upload.channelId }, `joining a public channel to share ${upload.what}`);
    await upload.client.conversations.join({ channel: upload.channelId });
    return { fileId: await send() };
  }
}

function firstFileId(result: unknown): string | undefined {
  const files = (result as { files?: Array<{ files?: Array<{ id?: string }> }> }).files;
  return files?.[0]?.files?.[0]?.id;
}

/** An org label as it may stand in a file name: letters, digits, `_` and `-`, never empty. */
export function fileSafeLabel(label: string): string {
  return label.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'org';
}

import { Readable } from 'node:stream';
import type { webApi } from '@slack/bolt';
import type { Dispatcher } from 'undici';
import type { Logger } from '../logger';
import { slackErrorCode, UploadRefused } from './user-errors';

export { UploadRefused };

export interface ChannelFile {
  client: webApi.WebClient;
  /** Carries the bytes to Slack's upload host: the app's outbound dispatcher, through the proxy when one is set. */
  dispatcher: Dispatcher;
  /** A channel, or the DM with the app. */
  channelId: string;
  /** Shares the file as a reply in this message's thread. */
  threadTs?: string;
  /** The bytes, whole or as parts in order (an invoice PDF as Viam streamed it). */
  file: Buffer | readonly Buffer[];
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
 * Shares a file into a channel the way files.uploadV2 does (get an upload URL, send the bytes, complete
 * the upload into the channel), but streams the parts as they are: uploadV2 joins a file and copies it
 * twice more before sending it, which for a 20 MiB invoice PDF is the difference between holding it
 * once and five times.
 */
export async function shareFileInChannel(upload: ChannelFile): Promise<{ fileId?: string }> {
  const fileId = await uploadFileBytes(upload);
  await completeFileShare(upload, fileId);
  return { fileId };
}

/**
 * The first half of a share: the bytes reach Slack as a file no one sees yet. Its ID lets a share left
 * in doubt be looked for before the file is shared again.
 */
export async function uploadFileBytes(
  upload: Pick<ChannelFile, 'client' | 'dispatcher' | 'file' | 'filename' | 'altText'>,
): Promise<string> {
  const parts = Buffer.isBuffer(upload.file) ? [upload.file] : upload.file;
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  const target = await upload.client.files.getUploadURLExternal({
    filename: upload.filename,
    length,
    ...(upload.altText === undefined ? {} : { alt_text: upload.altText }),
  });
  if (!target.upload_url || !target.file_id) throw new UploadRefused('Slack gave no upload URL');
  await sendBytes(upload.dispatcher, target.upload_url, parts, length);
  return target.file_id;
}

/**
 * The second half: the uploaded file is shared into the channel (or a thread). Sharing needs real
 * membership (unlike posting with chat:write.public), so when the app is not in a public channel it
 * joins it (scope channels:join) and tries once more; private channels need an /invite, and that Slack
 * error is left for the caller to turn into a sentence.
 */
export async function completeFileShare(
  upload: Omit<ChannelFile, 'dispatcher' | 'file' | 'filename' | 'altText'>,
  fileId: string,
): Promise<void> {
  const complete = () =>
    upload.client.files.completeUploadExternal({
      files: [{ id: fileId, title: upload.title }],
      channel_id: upload.channelId,
      ...(upload.threadTs === undefined ? {} : { thread_ts: upload.threadTs }),
      ...(upload.initialComment === undefined ? {} : { initial_comment: upload.initialComment }),
    });
  try {
    await complete();
  } catch (error) {
    if (slackErrorCode(error) !== 'not_in_channel' || !upload.channelId.startsWith('C')) throw error;
    upload.logger.info({ channel: upload.channelId }, `joining a public channel to share ${upload.what}`);
    await upload.client.conversations.join({ channel: upload.channelId });
    await complete();
  }
}

/** Attempts at sending the bytes; Slack's upload host answers 429 and 5xx like its API does. */
export const UPLOAD_ATTEMPTS = 4;
const RETRY_BASE_MS = 500;
const MAX_RETRY_AFTER_MS = 30_000;

/** POSTs the raw bytes to the pre-signed upload URL, retrying rate limits, server errors and lost connections. */
async function sendBytes(dispatcher: Dispatcher, url: string, parts: readonly Buffer[], length: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    let wait: number;
    try {
      const response = await postParts(dispatcher, url, parts, length);
      if (response.status >= 200 && response.status < 300) return;
      const retryable = response.status === 429 || response.status >= 500;
      if (!retryable || attempt >= UPLOAD_ATTEMPTS)
        throw new UploadRefused(`the upload host answered ${response.status}`);
      wait =
        response.status === 429 && response.retryAfterSeconds > 0
          ? Math.min(response.retryAfterSeconds * 1000, MAX_RETRY_AFTER_MS)
          : RETRY_BASE_MS * 2 ** (attempt - 1);
    } catch (error) {
      if (error instanceof UploadRefused || attempt >= UPLOAD_ATTEMPTS) throw error;
      wait = RETRY_BASE_MS * 2 ** (attempt - 1);
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

const UPLOAD_TIMEOUT_MS = 120_000;

/**
 * One POST of the parts, written one after another with the length declared up front: the file is
 * never joined into one Buffer, so a large PDF is held once (fetch would want it whole, or chunked).
 */
async function postParts(
  dispatcher: Dispatcher,
  url: string,
  parts: readonly Buffer[],
  length: number,
): Promise<{ status: number; retryAfterSeconds: number }> {
  const target = new URL(url);
  const response = await dispatcher.request({
    origin: target.origin,
    path: `${target.pathname}${target.search}`,
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(length) },
    body: Readable.from(parts, { objectMode: false }),
    headersTimeout: UPLOAD_TIMEOUT_MS,
    bodyTimeout: UPLOAD_TIMEOUT_MS,
  });
  await response.body.dump();
  const retryAfter = response.headers['retry-after'];
  return {
    status: response.statusCode,
    retryAfterSeconds: Number(Array.isArray(retryAfter) ? retryAfter[0] : (retryAfter ?? 0)) || 0,
  };
}

/** An org label as it may stand in a file name: letters, digits, `_` and `-`, never empty. */
export function fileSafeLabel(label: string): string {
  return label.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'org';
}

import type { IncomingMessage } from 'node:http';

/**
 * Arguments @slack/web-api JSON-encodes into a single form field because they are not strings. Only these are
 * decoded: guessing from a leading `[` would corrupt plain text such as "[urgent] invoice overdue".
 */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'files', 'metadata', 'file_uploads', 'users_list']);

export class BodyTooLargeError extends Error {
  constructor(limit: number) {
    super(`request body exceeds ${limit} bytes`);
  }
}

export async function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > limitBytes) throw new BodyTooLargeError(limitBytes);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Web API arguments from any body Slack accepts: form-encoded (what the WebClient sends), multipart (when an argument
 * is a Buffer) or JSON; query-string arguments are merged underneath.
 */
export async function parseApiArgs(
  contentType: string | undefined,
  body: Buffer,
  query: URLSearchParams,
): Promise<Record<string, unknown>> {
  const args: Record<string, unknown> = Object.fromEntries(query.entries());
  const type = mediaType(contentType);
  if (type === 'application/json' && body.length > 0) {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) Object.assign(args, parsed);
    return args;
  }
  if (type === 'multipart/form-data') {
    for (const [key, value] of await multipartEntries(contentType ?? '', body)) args[key] = value;
  } else if (body.length > 0) {
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) args[key] = value;
  }
  for (const key of Object.keys(args)) {
    const value = args[key];
    if (JSON_FIELDS.has(key) && typeof value === 'string') args[key] = decodeJson(value);
  }
  return args;
}

/** The bytes the WebClient POSTs to an upload_url: a multipart field `body`, or a raw body from other clients. */
export async function parseUploadBytes(contentType: string | undefined, body: Buffer): Promise<Buffer> {
  if (mediaType(contentType) !== 'multipart/form-data') return body;
  const entries = await multipartEntries(contentType ?? '', body);
  const files = entries.filter((entry): entry is [string, Buffer] => Buffer.isBuffer(entry[1]));
  const preferred = files.find(([key]) => key === 'body') ?? files.find(([key]) => key === 'file') ?? files[0];
  return preferred ? preferred[1] : Buffer.alloc(0);
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** A value that was meant to be JSON but is not; handlers answer with Slack's `invalid_*_format` errors. */
export class MalformedJson {
  constructor(readonly raw: string) {}
}

function decodeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return new MalformedJson(value);
  }
}

async function multipartEntries(contentType: string, body: Buffer): Promise<[string, string | Buffer][]> {
  // The fetch Response parser handles multipart boundaries exactly as the sending side (undici FormData) writes them.
  const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  const entries: [string, string | Buffer][] = [];
  for (const [key, value] of form.entries()) {
    entries.push([key, typeof value === 'string' ? value : Buffer.from(await value.arrayBuffer())]);
  }
  return entries;
}

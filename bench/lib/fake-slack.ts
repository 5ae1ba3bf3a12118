/**
 * A deliberately small fake of Slack's Web API for the digest fan-out: every call (file uploads
 * included) waits a fixed latency, chat.postMessage is recorded (channel and arrival time) and
 * answered with a fresh ts, files.uploadV2's three steps are answered and counted, and
 * conversations.history is always empty. It keeps one number per post, so 10,000 digests cost the
 * process that hosts it next to nothing (the full Slack stand-in keeps and validates every message).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { busiestWindow } from './stats';

export interface FakeSlackStats {
  calls: Record<string, number>;
  posts: number;
  /** Files whose bytes arrived at their upload URL. */
  uploads: number;
  channels: number;
  /** Posts whose `blocks` were missing or not a non-empty JSON array, or whose `text` was empty. */
  malformedPosts: number;
  /** The most messages (posts and file shares) one channel received within any one second. */
  busiestChannelPerSecond: number;
  /** Milliseconds between the first and the last post. */
  postingSpanMs: number;
}

export interface FakeSlack {
  /** Web API base for WebClient's `slackApiUrl`. */
  url: string;
  stats(): FakeSlackStats;
  reset(): void;
  stop(): Promise<void>;
}

export async function startFakeSlack(latencyMs: number): Promise<FakeSlack> {
  const calls = new Map<string, number>();
  let posts: Array<{ key: string; at: number }> = [];
  let shares: Array<{ key: string; at: number }> = [];
  let malformed = 0;
  let uploads = 0;
  let seq = 0;
  let origin = '';

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      if (path.startsWith(UPLOAD_PATH)) {
        void delay(latencyMs).then(() => {
          uploads += 1;
          res.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
        });
        return;
      }
      const method = path.replace(/^\/api\//, '');
      calls.set(method, (calls.get(method) ?? 0) + 1);
      const args = parseArgs(req.headers['content-type'], Buffer.concat(chunks).toString('utf8'));
      void delay(latencyMs).then(() => {
        const answer = respond(method, args);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      });
    });
  });

  const respond = (method: string, args: Record<string, unknown>): Record<string, unknown> => {
    switch (method) {
      case 'chat.postMessage': {
        const channel = String(args.channel ?? '');
        posts.push({ key: channel, at: performance.now() });
        if (!wellFormed(args)) malformed += 1;
        seq += 1;
        const ts = `${Math.floor(Date.now() / 1000)}.${String(seq % 1_000_000).padStart(6, '0')}`;
        return { ok: true, channel, ts, message: { ts, text: args.text } };
      }
      case 'files.getUploadURLExternal': {
        seq += 1;
        const fileId = `F${String(seq).padStart(10, '0')}`;
        return { ok: true, file_id: fileId, upload_url: `${origin}${UPLOAD_PATH}${fileId}` };
      }
      case 'files.completeUploadExternal': {
        // Sharing into a channel (or a thread in it) posts a message there too.
        if (typeof args.channel_id === 'string') shares.push({ key: args.channel_id, at: performance.now() });
        const files = parseJsonArray(args.files);
        return { ok: true, files: files.map((file) => ({ id: (file as { id?: unknown }).id })) };
      }
      case 'conversations.history':
        return { ok: true, messages: [], has_more: false };
      case 'auth.test':
        return { ok: true, team_id: 'T0FAKE0001', user_id: 'U0FAKEBOT1', bot_id: 'B0FAKEBOT1' };
      default:
        return { ok: true };
    }
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    stats() {
      const times = posts.map((post) => post.at);
      return {
        calls: Object.fromEntries(calls),
        posts: posts.length,
        uploads,
        channels: new Set(posts.map((post) => post.key)).size,
        malformedPosts: malformed,
        busiestChannelPerSecond: busiestWindow([...posts, ...shares], 1_000),
        postingSpanMs: times.length === 0 ? 0 : Math.max(...times) - Math.min(...times),
      };
    },
    reset() {
      calls.clear();
      posts = [];
      shares = [];
      malformed = 0;
      uploads = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const UPLOAD_PATH = '/upload/';

function parseJsonArray(value: unknown): unknown[] {
  try {
    const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

function parseArgs(contentType: string | undefined, body: string): Record<string, unknown> {
  if (contentType?.startsWith('application/json')) {
    try {
      return JSON.parse(body) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(body));
}

function wellFormed(args: Record<string, unknown>): boolean {
  let blocks = args.blocks;
  if (typeof blocks === 'string') {
    try {
      blocks = JSON.parse(blocks);
    } catch {
      return false;
    }
  }
  return Array.isArray(blocks) && blocks.length > 0 && typeof args.text === 'string' && args.text !== '';
}

import { Agent, createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SlackStandIn } from '../../dev/slack-stand-in';

/**
 * The Slack stand-in does not answer `conversations.history` yet. Until it does, the digest tests put
 * this small loopback proxy in front of it: every Web API call is forwarded to the stand-in as it is,
 * and `conversations.history` is answered from the stand-in's own channel messages with Slack's
 * rules (bot token, `channels:history` / `groups:history`, membership, `oldest`, `limit`, cursor,
 * metadata only with `include_all_metadata`). Real HTTP both ways; nothing of ours is mocked.
 */
export interface HistoryProxy {
  /** Web API base to give the WebClient, e.g. `http://127.0.0.1:PORT/api/`. */
  url: string;
  /** Every conversations.history call, with its arguments. */
  historyCalls: Array<Record<string, string>>;
  stop(): Promise<void>;
}

export async function startHistoryProxy(standIn: SlackStandIn): Promise<HistoryProxy> {
  const historyCalls: Array<Record<string, string>> = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      console.error('history proxy failed', error);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readAll(req);
    if (req.url?.startsWith('/api/conversations.history')) {
      const args = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
      historyCalls.push(args);
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? args.token;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(history(standIn, token, args)));
      return;
    }
    const target = new URL(standIn.origin);
    const forwarded = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host, 'content-length': String(body.length) },
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502).end(String(error));
    });
    forwarded.end(body);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    historyCalls,
    stop: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function history(standIn: SlackStandIn, token: string | undefined, args: Record<string, string>) {
  if (!token) return { ok: false, error: 'not_authed' };
  const lookup = standIn.workspace.lookupToken(token);
  if (lookup.kind !== 'bot') return { ok: false, error: 'invalid_auth' };
  if (lookup.state !== 'active') return { ok: false, error: lookup.state };
  const { team } = lookup;
  const channel = standIn.workspace.channel(args.channel ?? '');
  if (!channel || channel.teamId !== team.id) return { ok: false, error: 'channel_not_found' };
  const needed = channel.isPrivate ? 'groups:history' : 'channels:history';
  if (!team.scopes.includes(needed)) return { ok: false, error: 'missing_scope', needed };
  if (!channel.members.includes(team.botUserId)) return { ok: false, error: 'not_in_channel' };

  const oldest = Number(args.oldest ?? 0);
  const withMetadata = args.include_all_metadata === 'true' || args.include_all_metadata === '1';
  const limit = Math.min(Math.max(Number(args.limit ?? 100) || 100, 1), 999);
  const offset = Number(args.cursor ?? 0) || 0;
  const newestFirst = standIn
    .messagesIn(channel.id)
    .filter((message) => Number(message.ts) > oldest)
    .sort((a, b) => Number(b.ts) - Number(a.ts));
  const page = newestFirst.slice(offset, offset + limit);
  const hasMore = offset + limit < newestFirst.length;
  return {
    ok: true,
    messages: page.map((message) => ({
      type: 'message',
      user: message.user,
      bot_id: message.botId,
      text: message.text ?? '',
      ts: message.ts,
      ...(withMetadata && message.metadata ? { metadata: message.metadata } : {}),
    })),
    has_more: hasMore,
    response_metadata: { next_cursor: hasMore ? String(offset + limit) : '' },
  };
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

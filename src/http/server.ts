import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger';
import { ReplayGuard } from './replay-guard';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface HttpServerOptions {
  /** GET routes for operations (health, readiness, metrics), matched on the exact path. */
  routes: Record<string, RouteHandler>;
  /** Slack's own paths (events, OAuth) go to Bolt's HTTP receiver when the app serves HTTP. */
  slack?: {
    paths: readonly string[];
    /** The one path Slack POSTs events, commands and interactions to; other methods there get 405. */
    eventsPath: string;
    listener: (req: IncomingMessage, res: ServerResponse) => unknown;
  };
  logger: Logger;
}

/**
 * One HTTP server per process for both Slack modes: in HTTP mode it carries Slack's traffic and the
 * operations routes; in Socket Mode only the latter. Owning it (rather than Bolt's receiver owning it)
 * gives one place for the listening port and for a graceful close.
 */
export class HttpServer {
  private readonly server: Server;
  /** Replays and future-dated requests, which Bolt's own verifier lets through. */
  private readonly slackGuard = new ReplayGuard();

  constructor(private readonly options: HttpServerOptions) {
    this.server = createServer((req, res) => this.route(req, res));
    // Keep-alive sockets would otherwise hold close() open until Slack's side gives up on them.
    this.server.keepAliveTimeout = 5_000;
  }

  listen(port: number, host?: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  /** Stops accepting connections and resolves when the open ones are finished. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const slack = this.options.slack;
    if (slack?.paths.includes(path)) {
      // Slack only ever POSTs to the events path; a browser or a probe gets 405, which is no failure of ours.
      if (path === slack.eventsPath && req.method !== 'POST') {
        res.writeHead(405, { allow: 'POST', 'content-type': 'text/plain' }).end('Slack events are POSTed here.\n');
        return;
      }
      const refusal = this.slackGuard.refusal({
        signature: req.headers['x-slack-signature'],
        timestamp: req.headers['x-slack-request-timestamp'],
      });
      if (refusal) {
        this.options.logger.warn({ path, reason: refusal }, 'refused a Slack request');
        res.writeHead(401, { 'content-type': 'text/plain' }).end();
        return;
      }
      Promise.resolve()
        .then(() => slack.listener(req, res))
        .catch((error: unknown) => this.fail(res, error, path));
      return;
    }
    const handler = req.method === 'GET' ? this.options.routes[path] : undefined;
    if (!handler) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((error: unknown) => this.fail(res, error, path));
  }

  private fail(res: ServerResponse, error: unknown, path: string): void {
    this.options.logger.error({ err: error, path }, 'HTTP request failed');
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end();
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
}

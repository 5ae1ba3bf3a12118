import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { Clock } from './clock';
import type { IdFactory } from './ids';
import { Recorder } from './recorder';

export const SOCKET_MODE_PATH = '/link/';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface EnvelopeInput {
  type: EnvelopeType;
  /** Slash command fields, an interactivity payload object, or an event_callback envelope. */
  payload: Record<string, unknown>;
  envelopeId?: string;
  /** Defaults as Slack sets it: true for commands, view submissions and block suggestions. */
  acceptsResponsePayload?: boolean;
  retryAttempt?: number;
  retryReason?: string;
}

export interface SocketModeAck {
  envelope_id: string;
  /** What the app passed to ack(): `{}` for a bare ack, `{ text }`/blocks/response_action otherwise. */
  payload?: unknown;
  receivedAt: number;
  /** Milliseconds between sending the envelope and the ack arriving. */
  ackMs: number;
}

/**
 * Slack's Socket Mode edge: apps.connections.open hands out a one-time URL, the app connects, gets `hello`, and then
 * receives envelopes that it acknowledges by echoing the envelope_id. Lives on the Web API server's port.
 */
export class SocketModeStandIn {
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly sockets: WebSocket[] = [];
  private readonly sentAt = new Map<string, number>();
  private readonly ackLog = new Recorder<SocketModeAck>();
  private readonly connections = new Recorder<number>();
  private connectionCounter = 0;

  constructor(
    private readonly appId: string,
    private readonly ids: IdFactory,
    private readonly clock: Clock,
  ) {}

  connectionUrl(origin: string): string {
    const ticket = this.ids.opaque('ticket');
    this.tickets.add(ticket);
    return `${origin.replace(/^http/, 'ws')}${SOCKET_MODE_PATH}?ticket=${ticket}&app_id=${this.appId}`;
  }

  /** Takes over an HTTP upgrade aimed at the Socket Mode path; returns false for anything else. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (url.pathname !== SOCKET_MODE_PATH && url.pathname !== SOCKET_MODE_PATH.slice(0, -1)) return false;
    const ticket = url.searchParams.get('ticket') ?? '';
    if (!this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return true;
    }
    this.server.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    return true;
  }

  openConnections(): number {
    return this.sockets.length;
  }

  /** Resolves once at least `count` connections have been accepted in total (not just currently open). */
  async waitForConnection(timeoutMs = 2000, count = 1): Promise<void> {
    await this.connections.waitFor((n) => n >= count, timeoutMs, `Socket Mode connection #${count}`);
  }

  /** Sends an envelope to the newest open connection and resolves with the app's ack. */
  sendEnvelope(input: EnvelopeInput, timeoutMs = 3000): Promise<SocketModeAck> {
    const socket = this.sockets[this.sockets.length - 1];
    if (!socket) return Promise.reject(new Error('no Socket Mode connection is open'));
    const envelopeId = input.envelopeId ?? `${this.ids.opaque('env')}-standin`;
    const envelope: Record<string, unknown> = {
      envelope_id: envelopeId,
      payload: input.payload,
      type: input.type,
      accepts_response_payload: input.acceptsResponsePayload ?? acceptsResponsePayload(input),
    };
    if (input.type === 'events_api') {
      envelope.retry_attempt = input.retryAttempt ?? 0;
      envelope.retry_reason = input.retryReason ?? '';
    }
    const ack = this.ackLog.waitFor((item) => item.envelope_id === envelopeId, timeoutMs, `ack of ${envelopeId}`);
    this.sentAt.set(envelopeId, performance.now());
    socket.send(JSON.stringify(envelope));
    return ack;
  }

  acks(): SocketModeAck[] {
    return this.ackLog.list();
  }

  /** Slack's "please reconnect" message, sent before it recycles a connection. */
  sendDisconnect(reason: 'warning' | 'refresh_requested' | 'link_disabled' = 'refresh_requested'): void {
    for (const socket of this.sockets) {
      socket.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-standin' } }));
    }
  }

  async close(): Promise<void> {
    this.ackLog.abandonWaiters('Socket Mode stand-in stopped');
    this.connections.abandonWaiters('Socket Mode stand-in stopped');
    await Promise.all([...this.sockets].map((socket) => closeGracefully(socket)));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(ws: WebSocket): void {
    this.sockets.push(ws);
    this.connectionCounter += 1;
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('close', () => {
      const index = this.sockets.indexOf(ws);
      if (index >= 0) this.sockets.splice(index, 1);
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.sockets.length,
        debug_info: { host: 'applink-standin', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.appId },
      }),
    );
    this.connections.add(this.connectionCounter);
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (isBinary) return;
    let message: unknown;
    try {
      message = JSON.parse(data.toString());
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const { envelope_id: envelopeId, payload } = message as { envelope_id?: unknown; payload?: unknown };
    if (typeof envelopeId !== 'string') return;
    const sentAt = this.sentAt.get(envelopeId);
    this.sentAt.delete(envelopeId);
    const ackMs = sentAt === undefined ? 0 : performance.now() - sentAt;
    this.ackLog.add({ envelope_id: envelopeId, payload, receivedAt: this.clock.now(), ackMs });
  }
}

/**
 * A clean close handshake, so a client that is itself closing (Bolt's app.stop() does not wait for its handshake)
 * finishes normally instead of seeing a dropped connection and arming its 30 s close-handshake timer.
 */
function closeGracefully(socket: WebSocket, timeoutMs = 1000): Promise<void> {
  if (socket.readyState === socket.CLOSED) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      socket.terminate();
      resolve();
    }, timeoutMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    if (socket.readyState === socket.OPEN) socket.close(1001, 'stand-in stopping');
  });
}

function acceptsResponsePayload(input: EnvelopeInput): boolean {
  if (input.type === 'slash_commands') return true;
  if (input.type === 'interactive') {
    return input.payload.type === 'view_submission' || input.payload.type === 'block_suggestion';
  }
  return false;
}

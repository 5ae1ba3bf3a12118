import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { type Clock, systemClock } from './clock';
import { type Fault, FaultPlan, type HeldCall, type HeldRequest } from './faults';
import { FileStore, type UploadedFile } from './file-store';
import { IdFactory } from './ids';
import { MessageStore, type StandInEphemeral, type StandInMessage } from './message-store';
import type { MethodAnswer, MethodCall, StandInState } from './methods/context';
import { fail } from './methods/context';
import { UPLOAD_PATH_PREFIX } from './methods/files';
import { METHODS } from './methods/index';
import { OAuthCodes, type PendingInstall } from './methods/oauth';
import { Recorder } from './recorder';
import { RESPONSE_PATH_PREFIX, type RecordedResponse, ResponseUrls } from './response-urls';
import { DEFAULT_APP, SEED, type StandInAppConfig, seedDefaultTeam } from './seed';
import { SocketModeStandIn } from './socket-mode';
import { type RotatingGrant, TokenRotation } from './token-rotation';
import { TriggerIds } from './triggers';
import { type StandInView, ViewStore } from './view-store';
import { BodyTooLargeError, parseApiArgs, parseUploadBytes, readBody } from './wire';
import { type StandInTeam, Workspaces } from './workspace';

/** Pseudo-method names for the upload endpoint and response_url, usable with the fault knobs and `calls()`. */
export const UPLOAD_METHOD = 'upload';
export const RESPONSE_URL_METHOD = 'response_url';

export interface SlackStandInOptions {
  /** Drives trigger-id, response_url and OAuth-code expiry and the `ts` of messages. Default: the system clock. */
  clock?: Clock;
  /** Create the default "Acme Robotics" workspace (see SEED). Default true. */
  seed?: boolean;
  /** Override parts of the app identity (client id/secret, signing secret, app token, ...). */
  app?: Partial<StandInAppConfig>;
  /** Largest request body accepted (uploads included). Default 100 MB. */
  maxBodyBytes?: number;
  /**
   * Serve HTTPS (Web API, uploads, response URLs, Socket Mode over wss) with this certificate, as
   * `https://localhost:PORT` unless `urlHost` names another (the certificate must be for it).
   */
  tls?: { certPem: string; keyPem: string };
  /**
   * The host name in every URL handed out (API base, upload URLs, response URLs, the WebSocket), for a
   * name only a proxy resolves. Default 127.0.0.1, or localhost with TLS.
   */
  urlHost?: string;
}

export interface RecordedCall {
  seq: number;
  /** Web API method, or UPLOAD_METHOD for the bytes POSTed to an upload_url. */
  method: string;
  /** The token the call carried (fake tokens only ever exist here). */
  token?: string;
  /** The team the token belongs to, when it is a known bot token. */
  teamId?: string;
  /** Arguments with JSON-encoded fields (blocks, view, files, ...) decoded; `token` removed. */
  args: Record<string, unknown>;
  at: number;
  /** HTTP status answered: 200, or the injected 429/5xx; 0 for a call dropped with `holdNext`. */
  status: number;
  ok: boolean;
  error?: string;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
  ok: boolean;
  error?: string;
}

const DEFAULT_MAX_BODY = 100 * 1024 * 1024;
/** How a dropped call is recorded: no HTTP answer at all. */
const DROPPED: Answer = { status: 0, headers: {}, body: '', ok: false, error: 'dropped' };
const DEFAULT_WAIT_MS = 2000;

export async function startSlackStandIn(options: SlackStandInOptions = {}): Promise<SlackStandIn> {
  // An https.Server serves requests and upgrades exactly as an http.Server does.
  const server = options.tls
    ? (createTlsServer({ cert: options.tls.certPem, key: options.tls.keyPem }) as unknown as Server)
    : createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.urlHost ?? (options.tls ? 'localhost' : '127.0.0.1');
  const origin = `${options.tls ? 'https' : 'http'}://${host}:${port}`;
  return new SlackStandIn(server, origin, options);
}

/**
 * A local Slack: the Web API methods our app uses (at `url`, for Bolt's `clientOptions.slackApiUrl`), the file upload
 * endpoint, response_url receivers and the Socket Mode WebSocket edge, all on one loopback port, with every call
 * recorded and failures injectable.
 */
export class SlackStandIn {
  /** Web API base, e.g. `http://127.0.0.1:PORT/api/`. */
  readonly url: string;
  readonly app: Readonly<StandInAppConfig>;
  readonly clock: Clock;
  /** Teams, users, channels and tokens; add to or change them here. */
  readonly workspace: Workspaces;
  readonly socketMode: SocketModeStandIn;

  private readonly ids = new IdFactory();
  private readonly faults = new FaultPlan();
  private readonly callLog = new Recorder<RecordedCall>();
  private readonly state: StandInState;
  private readonly responseUrls: ResponseUrls;
  private readonly maxBodyBytes: number;
  private seq = 0;

  constructor(
    private readonly server: Server,
    /** `http://127.0.0.1:PORT` */
    readonly origin: string,
    options: SlackStandInOptions,
  ) {
    this.url = `${origin}/api/`;
    this.clock = options.clock ?? systemClock;
    this.app = { ...DEFAULT_APP, ...options.app };
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
    this.workspace = new Workspaces(this.ids, this.clock, this.app.appToken);
    this.socketMode = new SocketModeStandIn(this.app.appId, this.ids, this.clock);
    this.responseUrls = new ResponseUrls(this.ids, this.clock);
    this.state = {
      clock: this.clock,
      ids: this.ids,
      app: this.app,
      workspaces: this.workspace,
      messages: new MessageStore(),
      files: new FileStore(),
      views: new ViewStore(),
      triggers: new TriggerIds(this.ids, this.clock),
      oauthCodes: new OAuthCodes(this.ids, this.clock),
      tokenRotation: new TokenRotation(this.ids, this.workspace),
      socketMode: this.socketMode,
      origin,
    };
    if (options.seed ?? true) seedDefaultTeam(this.workspace);
    server.on('request', (req, res) => void this.route(req, res));
    server.on('upgrade', (req, socket, head) => {
      if (!this.socketMode.handleUpgrade(req, socket, head)) socket.destroy();
    });
  }

  /** The seeded workspace (throws when started with `seed: false`). */
  get defaultTeam(): Readonly<StandInTeam> {
    const team = this.workspace.team(SEED.team.id);
    if (!team) throw new Error('the stand-in was started without the default team');
    return team;
  }

  // --- recording -------------------------------------------------------------------------------------------------

  calls(method?: string): RecordedCall[] {
    return this.callLog.list((call) => method === undefined || call.method === method);
  }

  lastCall(method: string): RecordedCall | undefined {
    return this.callLog.last((call) => call.method === method);
  }

  /** The first call of `method` matching `predicate`, including calls already made. */
  waitForCall(
    method: string,
    predicate: (call: RecordedCall) => boolean = () => true,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<RecordedCall> {
    return this.callLog.waitFor((call) => call.method === method && predicate(call), timeoutMs, `a ${method} call`);
  }

  /** Files completed with files.completeUploadExternal, with the exact bytes that were uploaded. */
  uploadedFiles(): UploadedFile[] {
    return this.state.files.all();
  }

  /** Messages currently in a channel (posted, possibly updated, not deleted), oldest first. */
  messagesIn(channelId: string): StandInMessage[] {
    return this.state.messages.in(channelId);
  }

  ephemeralIn(channelId: string, userId?: string): StandInEphemeral[] {
    return this.state.messages.ephemeralIn(channelId, userId);
  }

  /** Modals and Home tabs the app opened, pushed, updated or published. */
  views(): StandInView[] {
    return this.state.views.all();
  }

  homeView(userId: string, teamId: string = SEED.team.id): StandInView | undefined {
    return this.state.views.homeOf(teamId, userId);
  }

  /** Forget calls, messages, files, views and responses; workspaces and faults stay. */
  resetRecords(): void {
    this.callLog.clear();
    this.state.messages.clear();
    this.state.files.clear();
    this.state.views.clear();
    this.responseUrls.clearRecords();
  }

  // --- faults ----------------------------------------------------------------------------------------------------

  /** The next `count` calls of `method` answer `{ ok: false, error }`. `method` may be `*`. */
  failNext(method: string, error: string, count = 1): void {
    this.faults.failNext(method, error, count);
  }

  /** The next `count` calls answer HTTP 429 with `Retry-After: retryAfterSeconds`. */
  rateLimitNext(method: string, retryAfterSeconds: number, count = 1): void {
    this.faults.rateLimitNext(method, retryAfterSeconds, count);
  }

  /** The next `count` calls answer with HTTP `status` (5xx). */
  serverErrorNext(method: string, status = 500, count = 1): void {
    this.faults.serverErrorNext(method, status, count);
  }

  /** Every answer of `method` (or `*`) is delayed by `ms` of real time; 0 removes it. */
  setLatency(method: string, ms: number): void {
    this.faults.setLatency(method, ms);
  }

  /**
   * Holds the next call of `method` (or `*`) once its request has arrived, until the returned handle
   * releases it (it then runs and is answered as usual) or drops it (the connection is cut and nothing
   * happens). For putting the app in a known state mid-call, e.g. to restart or kill it there.
   */
  holdNext(method: string): HeldCall {
    return this.faults.holdNext(method);
  }

  /** Clears queued failures, latencies and holds; calls still held are dropped. */
  clearFaults(): void {
    this.faults.clear();
  }

  // --- response_url, trigger ids, OAuth --------------------------------------------------------------------------

  /** A fresh response_url on this server: 5 uses, 30 minutes. */
  responseUrl(): string {
    return this.responseUrls.create(this.origin);
  }

  /** Accepted posts to one response_url (id or full URL), or to all. */
  responses(idOrUrl?: string): RecordedResponse[] {
    return this.responseUrls.accepted(idOrUrl);
  }

  /** Every post, including those answered 404 (expired/used up) or 400 (not JSON). */
  responseAttempts(idOrUrl?: string): RecordedResponse[] {
    return this.responseUrls.allAttempts(idOrUrl);
  }

  waitForResponse(
    idOrUrl: string,
    predicate?: (response: RecordedResponse) => boolean,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<RecordedResponse> {
    return this.responseUrls.waitFor(idOrUrl, predicate, timeoutMs);
  }

  expireResponseUrl(idOrUrl: string): void {
    this.responseUrls.expire(idOrUrl);
  }

  /** A trigger id for a payload; views.open/push accept it once, within 3 s of this call (by `clock`). */
  triggerId(context: { viewId?: string } = {}): string {
    return this.state.triggers.issue(context);
  }

  /** An OAuth code the app can exchange with oauth.v2.access, as if a user had approved the install. */
  issueOAuthCode(install: PendingInstall = {}): string {
    return this.state.oauthCodes.issue(install);
  }

  /**
   * Turns token rotation on for a team as an install with rotation would: its bot token becomes an
   * expiring one (12 hours) and the returned refresh token can be redeemed once with oauth.v2.access.
   * Expire it early with `workspace.expireBotToken(teamId)`.
   */
  startTokenRotation(teamId: string): RotatingGrant {
    return this.state.tokenRotation.grant(teamId);
  }

  async stop(): Promise<void> {
    this.faults.dropAllHolds();
    this.callLog.abandonWaiters('Slack stand-in stopped');
    this.responseUrls.abandonWaiters('Slack stand-in stopped');
    await this.socketMode.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // --- HTTP ------------------------------------------------------------------------------------------------------

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    try {
      if (url.pathname.startsWith('/api/')) return await this.serveApi(req, res, url);
      if (req.method === 'POST' && url.pathname.startsWith(UPLOAD_PATH_PREFIX))
        return await this.serveUpload(req, res, url);
      if (req.method === 'POST' && url.pathname.startsWith(RESPONSE_PATH_PREFIX)) {
        return await this.serveResponseUrl(req, res, url);
      }
      send(res, { status: 404, headers: { 'content-type': 'text/plain' }, body: 'not found', ok: false });
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        send(res, { status: 413, headers: { 'content-type': 'text/plain' }, body: error.message, ok: false });
        return;
      }
      // A bug in the stand-in itself: make it loud rather than a plausible Slack answer.
      console.error('slack stand-in: request handler failed', error);
      if (!res.headersSent)
        send(res, { status: 500, headers: { 'content-type': 'text/plain' }, body: 'stand-in bug', ok: false });
    }
  }

  private async serveApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = safeDecode(url.pathname.slice('/api/'.length));
    const raw = await readBody(req, this.maxBodyBytes);
    let args: Record<string, unknown> = {};
    let malformed = false;
    try {
      args = await parseApiArgs(req.headers['content-type'], raw, url.searchParams);
    } catch {
      malformed = true;
    }
    const token = bearerToken(req.headers.authorization) ?? (typeof args.token === 'string' ? args.token : undefined);
    delete args.token;
    const lookup = token ? this.workspace.lookupToken(token) : undefined;
    if (await this.heldAndDropped(res, { method, args })) {
      this.record(method, token, lookup?.kind === 'bot' ? lookup.team.id : undefined, args, DROPPED);
      return;
    }

    await this.applyLatency(method);
    const answer = malformed
      ? json(fail('invalid_form_data'))
      : (this.faultAnswer(method) ??
        this.answerMethod({ method, args, headers: req.headers, state: this.state }, token));
    this.record(method, token, lookup?.kind === 'bot' ? lookup.team.id : undefined, args, answer);
    send(res, answer);
  }

  private answerMethod(call: MethodCall, token: string | undefined): Answer {
    if (!Object.hasOwn(METHODS, call.method)) return json(fail('unknown_method', { req_method: call.method }));
    const spec = METHODS[call.method];
    if (!spec) return json(fail('unknown_method', { req_method: call.method }));
    if (spec.auth === 'none') return json(spec.handle(call));
    if (!token) return json(fail('not_authed'));
    const lookup = this.workspace.lookupToken(token);
    if (spec.auth === 'app') {
      if (lookup.kind === 'app') return json(spec.handle(call));
      return json(fail(lookup.kind === 'bot' ? 'not_allowed_token_type' : 'invalid_auth'));
    }
    if (lookup.kind === 'app') return json(fail('not_allowed_token_type'));
    if (lookup.kind === 'unknown') return json(fail('invalid_auth'));
    if (lookup.state !== 'active') return json(fail(lookup.state));
    const { team } = lookup;
    const scopeHeaders = {
      'x-oauth-scopes': team.scopes.join(','),
      'x-accepted-oauth-scopes': (spec.scopes ?? []).join(','),
    };
    const needed = spec.scopes?.find((scope) => !team.scopes.includes(scope));
    if (needed) return json(fail('missing_scope', { needed, provided: team.scopes.join(',') }), scopeHeaders);
    return json(spec.handle({ ...call, team }), scopeHeaders);
  }

  private async serveUpload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const key = url.pathname.slice(UPLOAD_PATH_PREFIX.length);
    const raw = await readBody(req, this.maxBodyBytes);
    const token = bearerToken(req.headers.authorization);
    const upload = this.state.files.pendingByKey(key);
    const heldArgs = { file_id: upload?.fileId, filename: upload?.filename, size: raw.length };
    if (await this.heldAndDropped(res, { method: UPLOAD_METHOD, args: heldArgs })) {
      this.record(UPLOAD_METHOD, token, upload?.teamId, { ...heldArgs, size: 0 }, DROPPED);
      return;
    }
    await this.applyLatency(UPLOAD_METHOD);
    let answer = this.faultAnswer(UPLOAD_METHOD);
    if (!answer && upload) {
      upload.bytes = await parseUploadBytes(req.headers['content-type'], raw);
      answer = {
        status: 200,
        headers: { 'content-type': 'text/plain' },
        body: `OK - ${upload.bytes.length}`,
        ok: true,
      };
    }
    answer ??= { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not Found', ok: false };
    const recordedArgs = { file_id: upload?.fileId, filename: upload?.filename, size: upload?.bytes?.length ?? 0 };
    this.record(UPLOAD_METHOD, token, upload?.teamId, recordedArgs, answer);
    send(res, answer);
  }

  private async serveResponseUrl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const id = url.pathname.slice(RESPONSE_PATH_PREFIX.length);
    const raw = await readBody(req, this.maxBodyBytes);
    if (await this.heldAndDropped(res, { method: RESPONSE_URL_METHOD, args: { id } })) return;
    await this.applyLatency(RESPONSE_URL_METHOD);
    const fault = this.faultAnswer(RESPONSE_URL_METHOD);
    if (fault) return send(res, fault);
    const { status, body } = this.responseUrls.receive(id, raw.toString('utf8'));
    send(res, { status, headers: { 'content-type': 'application/json' }, body, ok: status === 200 });
  }

  /** Waits out a hold on this call, if any; true when the test dropped it (the connection is then cut). */
  private async heldAndDropped(res: ServerResponse, request: HeldRequest): Promise<boolean> {
    const hold = this.faults.takeHold(request.method);
    if (!hold) return false;
    const fate = await hold.wait(request);
    this.faults.settled(hold);
    if (fate === 'release') return false;
    res.socket?.destroy();
    return true;
  }

  private async applyLatency(method: string): Promise<void> {
    const ms = this.faults.latencyFor(method);
    if (ms > 0) await delay(ms);
  }

  private faultAnswer(method: string): Answer | undefined {
    const fault: Fault | undefined = this.faults.take(method);
    if (!fault) return undefined;
    switch (fault.kind) {
      case 'platform_error':
        return json(fail(fault.error));
      case 'rate_limited':
        return {
          status: 429,
          headers: { 'content-type': 'application/json', 'retry-after': String(fault.retryAfterSeconds) },
          body: JSON.stringify({ ok: false, error: 'ratelimited' }),
          ok: false,
          error: 'ratelimited',
        };
      case 'http_status':
        return {
          status: fault.status,
          headers: { 'content-type': 'text/html' },
          body: `<html><body>stand-in injected HTTP ${fault.status}</body></html>`,
          ok: false,
          error: `http_${fault.status}`,
        };
    }
  }

  private record(
    method: string,
    token: string | undefined,
    teamId: string | undefined,
    args: Record<string, unknown>,
    answer: Answer,
  ): void {
    this.seq += 1;
    this.callLog.add({
      seq: this.seq,
      method,
      token,
      teamId,
      args,
      at: this.clock.now(),
      status: answer.status,
      ok: answer.ok,
      error: answer.error,
    });
  }
}

function json(answer: MethodAnswer, headers: Record<string, string> = {}): Answer {
  return {
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(answer),
    ok: answer.ok,
    error: answer.error,
  };
}

function send(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
  res.end(answer.body);
}

/** A malformed %-escape is the caller's problem (unknown_method), not a stand-in crash. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function bearerToken(header: IncomingHttpHeaders['authorization']): string | undefined {
  if (!header?.startsWith('Bearer ')) return undefined;
  const token = header.slice('Bearer '.length).trim();
  return token === '' ? undefined : token;
}

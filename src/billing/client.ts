import {
  type CallOptions,
  Channel,
  type ChannelOptions,
  type ClientReadableStream,
  Metadata,
  type ServiceError,
  status,
} from '@grpc/grpc-js';
import { type AuthenticateResponse, AuthServiceClient } from '../gen/proto/rpc/v1/auth';
import {
  BillingServiceClient,
  type GetCurrentMonthUsageResponse,
  type GetInvoicePdfResponse,
  type GetInvoicesSummaryResponse,
  type GetOrgBillingInformationResponse,
} from '../gen/viam/app/v1/billing';
import { shortId } from '../lifecycle/short-id';
import { type Logger, silentLogger } from '../logger';
import { grpcRoute } from '../network/grpc-route';
import { NO_PROXY, type ProxySettings } from '../network/proxy-settings';
import { DEFAULT_REFRESH_MARGIN_MS, shouldReauthenticate, TokenCache, type TokenLease } from './auth';
import { toBillingInfo, toInvoicesSummary, toUsageReport } from './convert';
import { resolveEndpoint } from './endpoint';
import { ViamBillingError } from './errors';
import { billingErrorFromStatus, isServiceError, tlsFailureMessage, toBillingError } from './grpc-errors';
import type { BillingInfo, InvoicesSummary, UsageReport, ViamApiKey } from './model';
import { collectPdf, DEFAULT_MAX_PDF_BYTES, PdfStreamFailure } from './pdf';
import {
  backoffDelay,
  DEFAULT_RETRY,
  isRetryableCode,
  type RetryPolicy,
  realSleep,
  validateRetryPolicy,
} from './retry';
import { validateApiKey, validateInvoiceId, validateOrgId } from './validate';

/** The billing reads every other module uses; one instance serves any number of orgs and keys. */
export interface BillingClient {
  getCurrentMonthUsage(key: ViamApiKey, orgId: string): Promise<UsageReport>;
  getOrgBillingInformation(key: ViamApiKey, orgId: string): Promise<BillingInfo>;
  getInvoicesSummary(key: ViamApiKey, orgId: string): Promise<InvoicesSummary>;
  getInvoicePdf(key: ViamApiKey, orgId: string, invoiceId: string): Promise<Buffer>;
  /** The same PDF as the parts Viam streamed, in order, so a large file need not be copied into one Buffer. */
  getInvoicePdfParts(key: ViamApiKey, orgId: string, invoiceId: string): Promise<Buffer[]>;
  /**
   * Proves the key can read billing for the org (i.e. it is an org-owner key for that org) with one
   * cheap read; rejects with the ViamBillingError that says why not. Resolves to the billing info read.
   */
  checkAccess(key: ViamApiKey, orgId: string, options?: CallBudget): Promise<BillingInfo>;
  /**
   * The same client (channel, tokens, retries), whose log lines also carry `fields`: a request's ID
   * and team, so the Viam calls behind an answer can be found from the request.
   */
  withLogFields(fields: Readonly<Record<string, unknown>>): BillingClient;
  /** Closes the channel; for the client the app built, never one from withLogFields. */
  close(): void;
}

/** Limits one public call as a whole, retries included (a modal must answer Slack within 3 s). */
export interface CallBudget {
  budgetMs?: number;
}

export interface BillingClientOptions {
  /** Default https://app.viam.com:443. https:// uses TLS; http:// (plaintext) is for local emulators. */
  url?: string;
  /** HTTPS_PROXY / NO_PROXY as read at start; the channel tunnels through the proxy with CONNECT. Default none. */
  proxy?: ProxySettings;
  /** Deadline of each gRPC call, Authenticate included. Default 15 s. */
  deadlineMs?: number;
  /** Largest invoice PDF accepted. Default 32 MiB. */
  maxPdfBytes?: number;
  /** Deadline of an invoice PDF download, which can be much larger than a read. Default 60 s. */
  pdfDeadlineMs?: number;
  /** Tries for UNAVAILABLE. Default 3 attempts, 250 ms base delay. */
  retry?: RetryPolicy;
  logger?: Logger;
  /** Clock for token expiry. Default real time. */
  now?: () => Date;
  /** Wait between retries. Default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). Default Math.random. */
  random?: () => number;
  /** Told of every attempt as it ends (for a latency histogram); must not throw. */
  observe?: (event: ViamCallObservation) => void;
  /**
   * Awaited once a call has its answer, before the answer is converted and handed back, so the caller's
   * work on it can wait for its turn (the app passes its answer lane, src/lifecycle/answer-lane.ts).
   * Must not throw. Default: none.
   */
  beforeResult?: () => Promise<void>;
}

/** One attempt of a billing call: which method, the gRPC status name (`NONE` without a status), how long. */
export interface ViamCallObservation {
  method: string;
  code: string;
  durationMs: number;
}

export const DEFAULT_DEADLINE_MS = 15_000;
export const DEFAULT_PDF_DEADLINE_MS = 60_000;
/** What Viam's Go client accepts per message (goutils rpc.MaxMessageSize). */
export const MAX_RECEIVE_MESSAGE_BYTES = 32 * 1024 * 1024;

type Method = 'GetCurrentMonthUsage' | 'GetOrgBillingInformation' | 'GetInvoicesSummary' | 'GetInvoicePdf';

/** What one public call is about; it goes into every log line of that call. */
interface CallContext {
  method: Method;
  key: ViamApiKey;
  orgId: string;
  invoiceId?: string;
  callId: string;
  /** No attempt of this call may run past this moment (epoch ms). */
  deadlineAt?: number;
  /** Deadline of each attempt. */
  attemptDeadlineMs: number;
}

/** Authenticate failed; kept apart from billing failures because it means something else to the user. */
class AuthenticateFailure extends Error {
  override readonly name = 'AuthenticateFailure';
  constructor(readonly error: ServiceError) {
    super('Authenticate failed');
  }
}

type UnaryStarter<T> = (
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: T) => void,
) => unknown;

function callUnary<T>(start: UnaryStarter<T>, metadata: Metadata, options: Partial<CallOptions>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    start(metadata, options, (error, response) => (error ? reject(error) : resolve(response)));
  });
}

function statusCodeOf(failure: unknown): number | undefined {
  if (failure instanceof AuthenticateFailure) return failure.error.code;
  if (failure instanceof PdfStreamFailure) {
    return failure.failure.reason === 'status' ? failure.failure.error.code : undefined;
  }
  return isServiceError(failure) ? failure.code : undefined;
}

/** UNAVAILABLE only, never a failed TLS handshake, and for the PDF only while nothing has arrived. */
function isRetryable(failure: unknown): boolean {
  const code = statusCodeOf(failure);
  if (code === undefined || !isRetryableCode(code) || tlsFailureMessage(detailsOf(failure)) !== undefined) return false;
  return !(failure instanceof PdfStreamFailure) || failure.nothingReceived;
}

/** What went wrong, for the log: the server's status text, or our own reason. */
function detailsOf(failure: unknown): string {
  if (failure instanceof AuthenticateFailure) return failure.error.details;
  if (failure instanceof PdfStreamFailure) {
    return failure.failure.reason === 'status' ? failure.failure.error.details : failure.failure.reason;
  }
  if (isServiceError(failure)) return failure.details;
  return failure instanceof Error ? failure.message : 'unexpected error';
}

function positiveNumber(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new ViamBillingError('invalid_argument', `${what} must be a positive number.`);
  }
  return value;
}

function keyIdSuffix(key: ViamApiKey): string {
  return key.id.slice(-4);
}

/** Server text goes to the log only, and even there without anything secret it might echo back. */
function scrub(text: string, secrets: readonly string[]): string {
  let clean = text;
  for (const secret of secrets) if (secret !== '') clean = clean.split(secret).join('[redacted]');
  return clean.length > 300 ? `${clean.slice(0, 300)}...` : clean;
}

export class ViamBillingClient implements BillingClient {
  /** gRPC target (`host:port`) and whether TLS is used; handy for startup logs. */
  readonly endpoint: { target: string; secure: boolean };

  private readonly channel: Channel;
  private readonly auth: AuthServiceClient;
  private readonly billing: BillingServiceClient;
  private readonly tokens: TokenCache;
  private readonly log: Logger;
  private readonly deadlineMs: number;
  private readonly pdfDeadlineMs: number;
  private readonly maxPdfBytes: number;
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  /** Set only on a view made by withLogFields. */
  private readonly logFields: Readonly<Record<string, unknown>> = {};
  private readonly now: () => Date;
  private readonly observe: (event: ViamCallObservation) => void;
  private readonly beforeResult: (() => Promise<void>) | undefined;
  /** Tokens seen by this client, so a server message echoing one can be scrubbed from logs. */
  private readonly recentTokens = new Set<string>();
  private isClosed = false;

  constructor(options: BillingClientOptions = {}) {
    const endpoint = resolveEndpoint(options.url);
    this.endpoint = { target: endpoint.target, secure: endpoint.secure };
    this.deadlineMs = positiveNumber(options.deadlineMs, DEFAULT_DEADLINE_MS, 'The Viam call deadline');
    this.pdfDeadlineMs = positiveNumber(options.pdfDeadlineMs, DEFAULT_PDF_DEADLINE_MS, 'The invoice PDF deadline');
    this.maxPdfBytes = Math.max(
      1,
      Math.floor(positiveNumber(options.maxPdfBytes, DEFAULT_MAX_PDF_BYTES, 'The PDF size limit')),
    );
    this.retry = validateRetryPolicy(options.retry ?? DEFAULT_RETRY);
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    this.log = (options.logger ?? silentLogger()).child({ component: 'viam-billing' });
    this.now = options.now ?? (() => new Date());
    this.observe = options.observe ?? (() => undefined);
    this.beforeResult = options.beforeResult;

    const channelOptions: ChannelOptions = {
      'grpc.max_receive_message_length': MAX_RECEIVE_MESSAGE_BYTES,
      // grpc-js backs off up to 120 s between reconnects; after an outage users would keep hearing
      // "Viam could not be reached" long after Viam is back.
      'grpc.initial_reconnect_backoff_ms': 500,
      'grpc.max_reconnect_backoff_ms': 5_000,
    };
    const route = grpcRoute(options.proxy ?? NO_PROXY, endpoint.target, endpoint.secure);
    // One HTTP/2 connection for both services, as Viam's SDKs dial once and share it.
    this.channel = new Channel(route.dialTarget, endpoint.credentials, { ...channelOptions, ...route.options });
    this.auth = new AuthServiceClient(endpoint.target, endpoint.credentials, { channelOverride: this.channel });
    this.billing = new BillingServiceClient(endpoint.target, endpoint.credentials, { channelOverride: this.channel });
    this.tokens = new TokenCache((key) => this.authenticate(key), this.now, DEFAULT_REFRESH_MARGIN_MS);
  }

  get closed(): boolean {
    return this.isClosed;
  }

  async getCurrentMonthUsage(key: ViamApiKey, orgId: string): Promise<UsageReport> {
    const context = this.begin('GetCurrentMonthUsage', key, orgId);
    const response = await this.run(context, (metadata, options) =>
      callUnary<GetCurrentMonthUsageResponse>(
        (md, opts, cb) => this.billing.getCurrentMonthUsage({ orgId }, md, opts, cb),
        metadata,
        options,
      ),
    );
    return toUsageReport(context.orgId, response, this.now());
  }

  async getOrgBillingInformation(key: ViamApiKey, orgId: string): Promise<BillingInfo> {
    return this.readBillingInfo(this.begin('GetOrgBillingInformation', key, orgId));
  }

  async getInvoicesSummary(key: ViamApiKey, orgId: string): Promise<InvoicesSummary> {
    const context = this.begin('GetInvoicesSummary', key, orgId);
    const response = await this.run(context, (metadata, options) =>
      callUnary<GetInvoicesSummaryResponse>(
        (md, opts, cb) => this.billing.getInvoicesSummary({ orgId }, md, opts, cb),
        metadata,
        options,
      ),
    );
    return toInvoicesSummary(response);
  }

  async getInvoicePdf(key: ViamApiKey, orgId: string, invoiceId: string): Promise<Buffer> {
    return Buffer.concat(await this.getInvoicePdfParts(key, orgId, invoiceId));
  }

  async getInvoicePdfParts(key: ViamApiKey, orgId: string, invoiceId: string): Promise<Buffer[]> {
    const context = this.begin('GetInvoicePdf', key, orgId, invoiceId);
    return this.run(context, (metadata, options) => {
      const stream: ClientReadableStream<GetInvoicePdfResponse> = this.billing.getInvoicePdf(
        { id: invoiceId, orgId },
        metadata,
        options,
      );
      return collectPdf(stream, this.maxPdfBytes);
    });
  }

  async checkAccess(key: ViamApiKey, orgId: string, budget: CallBudget = {}): Promise<BillingInfo> {
    const context = this.begin('GetOrgBillingInformation', key, orgId);
    if (budget.budgetMs !== undefined) {
      context.deadlineAt = Date.now() + positiveNumber(budget.budgetMs, this.deadlineMs, 'The call budget');
    }
    return this.readBillingInfo(context);
  }

  private async readBillingInfo(context: CallContext): Promise<BillingInfo> {
    const response = await this.run(context, (metadata, options) =>
      callUnary<GetOrgBillingInformationResponse>(
        (md, opts, cb) => this.billing.getOrgBillingInformation({ orgId: context.orgId }, md, opts, cb),
        metadata,
        options,
      ),
    );
    return toBillingInfo(response);
  }

  withLogFields(fields: Readonly<Record<string, unknown>>): BillingClient {
    // A view over this instance: everything but the log fields is read through the prototype, so the
    // channel, the token cache and the retry policy stay one. Cheaper than async context, which would
    // put a hook on every promise of the process.
    return Object.create(this, { logFields: { value: fields } }) as ViamBillingClient;
  }

  /** Closes the channel; calls in flight fail, later calls are refused without touching the network. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.tokens.clear();
    this.recentTokens.clear();
    this.channel.close();
  }

  // --- one call: validate, then attempts with backoff, each with a token and at most one re-auth ---

  private begin(method: Method, key: ViamApiKey, orgId: string, invoiceId?: string): CallContext {
    this.assertOpen();
    const validKey = validateApiKey(key);
    const validOrgId = validateOrgId(orgId);
    const context: CallContext = {
      method,
      key: validKey,
      orgId: validOrgId,
      callId: shortId(),
      attemptDeadlineMs: method === 'GetInvoicePdf' ? this.pdfDeadlineMs : this.deadlineMs,
    };
    if (invoiceId !== undefined || method === 'GetInvoicePdf') context.invoiceId = validateInvoiceId(invoiceId);
    return context;
  }

  private assertOpen(): void {
    if (this.isClosed) {
      throw new ViamBillingError(
        'internal',
        'The connection to Viam has been shut down. Restart the app to reconnect.',
      );
    }
  }

  private async run<T>(
    context: CallContext,
    once: (metadata: Metadata, options: Partial<CallOptions>) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      this.assertOpen();
      const started = Date.now();
      try {
        const result = await this.withToken(context, attempt, once);
        this.log.debug(this.fields(context, attempt, { durationMs: Date.now() - started }), 'viam call succeeded');
        this.observe({ method: context.method, code: 'OK', durationMs: Date.now() - started });
        if (this.beforeResult) await this.beforeResult();
        return result;
      } catch (failure) {
        const code = statusCodeOf(failure);
        this.observe({
          method: context.method,
          code: code === undefined ? 'NONE' : (status[code] ?? 'UNKNOWN'),
          durationMs: Date.now() - started,
        });
        const delayMs = backoffDelay(attempt, this.retry, this.random);
        const timeLeft = context.deadlineAt === undefined || Date.now() + delayMs < context.deadlineAt;
        if (attempt < this.retry.attempts && isRetryable(failure) && !this.isClosed && timeLeft) {
          this.log.warn(this.failureFields(context, attempt, failure, { delayMs }), 'viam call unavailable; retrying');
          await this.sleep(delayMs);
          continue;
        }
        const error = this.toError(context, failure);
        this.log.warn(
          this.failureFields(context, attempt, failure, { kind: error.kind, durationMs: Date.now() - started }),
          'viam call failed',
        );
        throw error;
      }
    }
  }

  private async withToken<T>(
    context: CallContext,
    attempt: number,
    once: (metadata: Metadata, options: Partial<CallOptions>) => Promise<T>,
  ): Promise<T> {
    const lease = await this.tokens.lease(context.key);
    try {
      return await once(this.bearer(lease), this.callOptions(context));
    } catch (failure) {
      const code = statusCodeOf(failure);
      const untouched = !(failure instanceof PdfStreamFailure) || failure.nothingReceived;
      if (code === undefined || !untouched || !shouldReauthenticate(code, lease)) throw failure;
      this.log.info(
        this.failureFields(context, attempt, failure, { cachedToken: !lease.fresh }),
        'viam rejected the access token; authenticating again',
      );
      this.tokens.drop(context.key, lease.token);
      const renewed = await this.tokens.lease(context.key);
      return await once(this.bearer(renewed), this.callOptions(context));
    }
  }

  private async authenticate(key: ViamApiKey): Promise<string> {
    this.assertOpen();
    const started = Date.now();
    let accessToken: string;
    try {
      // A fresh Metadata: Authenticate must carry no authorization header (goutils refuses it).
      const response = await callUnary<AuthenticateResponse>(
        (md, opts, cb) =>
          this.auth.authenticate({ entity: key.id, credentials: { type: 'api-key', payload: key.key } }, md, opts, cb),
        new Metadata(),
        this.callOptions(),
      );
      accessToken = response.accessToken;
    } catch (error) {
      if (isServiceError(error)) throw new AuthenticateFailure(error);
      throw error;
    }
    if (accessToken === '') {
      this.log.warn({ keyIdSuffix: keyIdSuffix(key) }, 'viam Authenticate returned an empty token');
      throw new ViamBillingError('internal');
    }
    this.recentTokens.add(accessToken);
    if (this.recentTokens.size > 100) this.recentTokens.clear();
    this.log.debug({ keyIdSuffix: keyIdSuffix(key), durationMs: Date.now() - started }, 'viam Authenticate succeeded');
    return accessToken;
  }

  private bearer(lease: TokenLease): Metadata {
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${lease.token}`);
    return metadata;
  }

  private callOptions(context?: CallContext): Partial<CallOptions> {
    const attemptEnd = Date.now() + (context?.attemptDeadlineMs ?? this.deadlineMs);
    return { deadline: new Date(Math.min(attemptEnd, context?.deadlineAt ?? attemptEnd)) };
  }

  private toError(context: CallContext, failure: unknown): ViamBillingError {
    if (failure instanceof AuthenticateFailure) return billingErrorFromStatus(failure.error, { phase: 'authenticate' });
    if (failure instanceof PdfStreamFailure) {
      const detail = failure.failure;
      if (detail.reason === 'too_large') {
        const limitMiB = Math.round((this.maxPdfBytes / (1024 * 1024)) * 10) / 10;
        return new ViamBillingError(
          'too_large',
          `The invoice PDF from Viam is larger than this app accepts (${limitMiB} MiB).`,
        );
      }
      if (detail.reason === 'not_a_pdf') {
        return new ViamBillingError('internal', 'Viam sent an incomplete invoice PDF. Try again in a minute.');
      }
      return billingErrorFromStatus(detail.error, { phase: 'billing', invoiceId: context.invoiceId });
    }
    return toBillingError(failure, { phase: 'billing', invoiceId: context.invoiceId });
  }

  private fields(context: CallContext, attempt: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      ...this.logFields,
      method: context.method,
      callId: context.callId,
      orgId: context.orgId,
      keyIdSuffix: keyIdSuffix(context.key),
      attempt,
      ...(context.invoiceId === undefined ? {} : { invoiceId: context.invoiceId }),
      ...extra,
    };
  }

  private failureFields(
    context: CallContext,
    attempt: number,
    failure: unknown,
    extra: Record<string, unknown> = {},
  ): Record<string, unknown> {
    const code = statusCodeOf(failure);
    return this.fields(context, attempt, {
      phase: failure instanceof AuthenticateFailure ? 'authenticate' : 'billing',
      ...(code === undefined ? {} : { code: status[code] ?? code }),
      serverMessage: scrub(detailsOf(failure), [context.key.key, ...this.recentTokens]),
      ...extra,
    });
  }
}

export function createBillingClient(options: BillingClientOptions = {}): ViamBillingClient {
  return new ViamBillingClient(options);
}

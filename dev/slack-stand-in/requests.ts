import { createHmac } from 'node:crypto';
import { type IncomingHttpHeaders, request } from 'node:http';
import {
  type BlockActionInput,
  blockActionsPayload,
  type EventCallbackInput,
  eventCallbackEnvelope,
  type SlashCommandInput,
  slashCommandFields,
  type ViewSubmissionInput,
  viewSubmissionPayload,
} from './payloads';

/** Bolt compares the content type exactly: `; charset=utf-8` would make it JSON-parse a form body. */
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
export const JSON_CONTENT_TYPE = 'application/json';

export interface SignedResponse {
  status: number;
  /** The raw response body (Bolt's ack body: empty, text, or JSON). */
  body: string;
  headers: IncomingHttpHeaders;
  /** Milliseconds from sending the request to the end of the response, i.e. how fast the app acked. */
  ackMs: number;
}

export interface SendTarget {
  /** The app's base URL (`http://127.0.0.1:PORT`) or its full events URL. */
  appUrl: string;
  signingSecret: string;
  /** Unix seconds; default now. Pass an old one to test the 5-minute staleness check. */
  timestamp?: number;
  /** Sign with a wrong key, to test rejection. */
  badSignature?: boolean;
}

/** `v0=` + hex HMAC-SHA256 over `v0:<timestamp>:<raw body>`, keyed with the signing secret. */
export function slackSignature(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** POSTs `body` byte-for-byte with Slack's signature headers. */
export function signedPost(
  url: string,
  body: string,
  contentType: string,
  signingSecret: string,
  timestamp: number = nowSeconds(),
  extraHeaders: Record<string, string> = {},
): Promise<SignedResponse> {
  const target = new URL(url);
  const payload = Buffer.from(body, 'utf8');
  const started = performance.now();
  return new Promise<SignedResponse>((resolve, reject) => {
    const req = request(
      {
        hostname: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: 'POST',
        // A fresh connection per request, so a stopped app is never held open by a pooled socket.
        agent: false,
        headers: {
          ...extraHeaders,
          'content-type': contentType,
          'content-length': payload.length,
          'x-slack-request-timestamp': String(timestamp),
          'x-slack-signature': slackSignature(signingSecret, timestamp, body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            headers: res.headers,
            ackMs: performance.now() - started,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export function sendSlashCommand(input: SlashCommandInput & SendTarget): Promise<SignedResponse> {
  const body = new URLSearchParams(slashCommandFields(input)).toString();
  return send(input, body, FORM_CONTENT_TYPE);
}

export function sendBlockAction(input: BlockActionInput & SendTarget): Promise<SignedResponse> {
  return send(input, formWithPayload(blockActionsPayload(input)), FORM_CONTENT_TYPE);
}

export function sendViewSubmission(input: ViewSubmissionInput & SendTarget): Promise<SignedResponse> {
  return send(input, formWithPayload(viewSubmissionPayload(input)), FORM_CONTENT_TYPE);
}

export interface EventDelivery {
  /** Slack's redelivery headers, for retried events. */
  retryNum?: number;
  retryReason?: string;
}

export function sendEvent(input: EventCallbackInput & SendTarget & EventDelivery): Promise<SignedResponse> {
  const headers: Record<string, string> = {};
  if (input.retryNum !== undefined) headers['x-slack-retry-num'] = String(input.retryNum);
  if (input.retryReason !== undefined) headers['x-slack-retry-reason'] = input.retryReason;
  return send(input, JSON.stringify(eventCallbackEnvelope(input)), JSON_CONTENT_TYPE, headers);
}

/** Interactivity payloads travel as one form field `payload` holding JSON. */
function formWithPayload(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

function send(target: SendTarget, body: string, contentType: string, headers: Record<string, string> = {}) {
  const secret = target.badSignature ? `${target.signingSecret}-but-wrong` : target.signingSecret;
  return signedPost(eventsUrl(target.appUrl), body, contentType, secret, target.timestamp ?? nowSeconds(), headers);
}

/** A bare origin gets Bolt's default endpoint; a URL with a path is used as given. */
function eventsUrl(appUrl: string): string {
  const url = new URL(appUrl);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/slack/events';
  return url.toString();
}

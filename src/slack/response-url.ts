/**
 * Answers to Slack's `response_url` through the app's outbound dispatcher (kept-alive sockets, and the
 * proxy when one is set). Bolt's `respond()` goes through `fetch`, whose streams cost about half a
 * millisecond of CPU per answer (the largest single item of a command's profile, bench/README.md); a
 * plain request on a reused socket costs a fraction of that. The contract is Bolt's: one POST of the
 * JSON message, and any status other than 2xx is an error, so an expired URL reaches the caller's
 * error handling.
 */
import { type Dispatcher, errors } from 'undici';

/** Slack refused the answer (an expired URL answers 404, too many answers 429). */
export class ResponseUrlError extends Error {
  override readonly name = 'ResponseUrlError';
  constructor(readonly status: number) {
    super(`Slack did not accept the answer at the response URL (HTTP ${status}).`);
  }
}

const DEFAULT_TIMEOUT_MS = 10_000;

export class ResponseUrlClient {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly timeoutMs: number = DEFAULT_TIMEOUT_MS,
  ) {}

  /** POSTs `message` as JSON; resolves on a 2xx answer, rejects otherwise. The URL never appears in an error. */
  async post(responseUrl: string, message: object): Promise<void> {
    let url: URL;
    try {
      url = new URL(responseUrl);
    } catch {
      throw new Error('The response URL Slack sent is not a URL.');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new Error('The response URL Slack sent is not an HTTP URL.');
    }
    let response: Dispatcher.ResponseData;
    try {
      response = await this.dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(message),
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
    } catch (error) {
      if (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError) {
        throw new Error('Slack did not answer at the response URL in time.');
      }
      throw error;
    }
    // The body is not needed, but it must be read for the socket to be reused.
    await response.body.dump();
    if (response.statusCode < 200 || response.statusCode >= 300) throw new ResponseUrlError(response.statusCode);
  }
}

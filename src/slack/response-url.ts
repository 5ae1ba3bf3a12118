/**
 * Answers to Slack's `response_url`, over Node's own HTTP client with kept-alive connections. Bolt's
 * `respond()` goes through `fetch`, whose streams cost about half a millisecond of CPU per answer
 * (the largest single item of a command's profile, bench/README.md); a plain request on a reused
 * socket costs a fraction of that. The contract is Bolt's: one POST of the JSON message, and any
 * status other than 2xx is an error, so an expired URL reaches the caller's error handling.
 */
import http from 'node:http';
import https from 'node:https';

/** Slack refused the answer (an expired URL answers 404, too many answers 429). */
export class ResponseUrlError extends Error {
  override readonly name = 'ResponseUrlError';
  constructor(readonly status: number) {
    super(`Slack did not accept the answer at the response URL (HTTP ${status}).`);
  }
}

const DEFAULT_TIMEOUT_MS = 10_000;

export class ResponseUrlClient {
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true }),
    'https:': new https.Agent({ keepAlive: true }),
  };

  constructor(private readonly timeoutMs: number = DEFAULT_TIMEOUT_MS) {}

  /** POSTs `message` as JSON; resolves on a 2xx answer, rejects otherwise. The URL never appears in an error. */
  post(responseUrl: string, message: object): Promise<void> {
    let url: URL;
    try {
      url = new URL(responseUrl);
    } catch {
      return Promise.reject(new Error('The response URL Slack sent is not a URL.'));
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      return Promise.reject(new Error('The response URL Slack sent is not an HTTP URL.'));
    }
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise<void>((resolve, reject) => {
      const request = transport.request(
        url,
        {
          method: 'POST',
          agent: this.agents[url.protocol as 'http:' | 'https:'],
          headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length },
          timeout: this.timeoutMs,
        },
        (response) => {
          // The body is not needed, but it must be read for the socket to be reused.
          response.resume();
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve();
            else reject(new ResponseUrlError(status));
          });
          response.on('error', reject);
        },
      );
      request.on('timeout', () => request.destroy(new Error('Slack did not answer at the response URL in time.')));
      request.on('error', reject);
      request.end(body);
    });
  }

  /** Closes the kept-alive sockets (at shutdown). */
  close(): void {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }
}

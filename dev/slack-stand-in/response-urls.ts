import type { Clock } from './clock';
import type { IdFactory } from './ids';
import { Recorder } from './recorder';

/** Slack lets an app use a response_url up to 5 times within 30 minutes. */
export const RESPONSE_URL_MAX_USES = 5;
export const RESPONSE_URL_LIFETIME_MS = 30 * 60 * 1000;
export const RESPONSE_PATH_PREFIX = '/response/';

export interface RecordedResponse {
  /** The response_url id (last path segment). */
  id: string;
  seq: number;
  at: number;
  /** HTTP status the stand-in answered: 200 accepted, 404 expired/unknown, 400 not JSON. */
  status: number;
  accepted: boolean;
  /** The JSON the app posted (`text`, `blocks`, `response_type`, `replace_original`, ...), or the raw text if not JSON. */
  body: unknown;
}

interface IssuedUrl {
  createdAt: number;
  uses: number;
  expired: boolean;
}

export class ResponseUrls {
  private readonly issued = new Map<string, IssuedUrl>();
  private readonly attempts = new Recorder<RecordedResponse>();
  private seq = 0;

  constructor(
    private readonly ids: IdFactory,
    private readonly clock: Clock,
  ) {}

  create(origin: string): string {
    const id = this.ids.opaque('r');
    this.issued.set(id, { createdAt: this.clock.now(), uses: 0, expired: false });
    return `${origin}${RESPONSE_PATH_PREFIX}${id}`;
  }

  expire(idOrUrl: string): void {
    const url = this.issued.get(responseUrlId(idOrUrl));
    if (url) url.expired = true;
  }

  /** Answers one POST to a response_url the way Slack does, and records it. */
  receive(id: string, rawBody: string): { status: number; body: string } {
    const url = this.issued.get(id);
    let body: unknown = rawBody;
    let parsedOk = true;
    try {
      body = JSON.parse(rawBody);
    } catch {
      parsedOk = false;
    }
    const usable =
      url !== undefined &&
      !url.expired &&
      url.uses < RESPONSE_URL_MAX_USES &&
      this.clock.now() - url.createdAt < RESPONSE_URL_LIFETIME_MS;
    let status = 200;
    let answer = JSON.stringify({ ok: true });
    if (!usable) {
      status = 404;
      answer = JSON.stringify({ ok: false, error: 'expired_url' });
    } else if (!parsedOk || typeof body !== 'object' || body === null) {
      status = 400;
      answer = JSON.stringify({ ok: false, error: 'invalid_payload' });
    } else {
      url.uses += 1;
    }
    this.seq += 1;
    this.attempts.add({ id, seq: this.seq, at: this.clock.now(), status, accepted: status === 200, body });
    return { status, body: answer };
  }

  /** Accepted posts, i.e. what the user would see in Slack. */
  accepted(idOrUrl?: string): RecordedResponse[] {
    return this.attempts.list((item) => item.accepted && matches(item, idOrUrl));
  }

  /** Every post, including ones answered 404/400. */
  allAttempts(idOrUrl?: string): RecordedResponse[] {
    return this.attempts.list((item) => matches(item, idOrUrl));
  }

  waitFor(
    idOrUrl: string,
    predicate: (response: RecordedResponse) => boolean = () => true,
    timeoutMs = 2000,
  ): Promise<RecordedResponse> {
    return this.attempts.waitFor(
      (item) => item.accepted && matches(item, idOrUrl) && predicate(item),
      timeoutMs,
      `a post to response_url ${responseUrlId(idOrUrl)}`,
    );
  }

  clearRecords(): void {
    this.attempts.clear();
  }

  abandonWaiters(reason: string): void {
    this.attempts.abandonWaiters(reason);
  }
}

/** Accepts the full URL or just its id. */
export function responseUrlId(idOrUrl: string): string {
  const at = idOrUrl.lastIndexOf(RESPONSE_PATH_PREFIX);
  return at >= 0 ? idOrUrl.slice(at + RESPONSE_PATH_PREFIX.length) : idOrUrl;
}

function matches(item: RecordedResponse, idOrUrl: string | undefined): boolean {
  return idOrUrl === undefined || item.id === responseUrlId(idOrUrl);
}

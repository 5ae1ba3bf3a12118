import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * Log fields of the Slack request being served (request ID, team, command), visible to code that
 * knows nothing of Slack — the billing client — so its log lines can be joined to the request.
 */
const storage = new AsyncLocalStorage<Readonly<Record<string, string>>>();

export function runWithRequestContext<T>(fields: Readonly<Record<string, string>>, work: () => Promise<T>): Promise<T> {
  return storage.run(fields, work);
}

/** The current request's fields, or none outside a request (digests, start-up). */
export function requestContextFields(): Readonly<Record<string, string>> {
  return storage.getStore() ?? {};
}

/**
 * Eight hex characters naming a request or a call in logs (and shown to users with an error). They
 * correlate, they guard nothing. randomUUID draws on a pooled buffer of entropy, where randomBytes
 * asks the system for every ID: a measurable cost when each command makes several.
 */
export function shortId(): string {
  return randomUUID().slice(0, 8);
}

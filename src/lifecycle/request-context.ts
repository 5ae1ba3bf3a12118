import { AsyncLocalStorage } from 'node:async_hooks';

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

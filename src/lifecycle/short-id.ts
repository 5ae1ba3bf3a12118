import { randomUUID } from 'node:crypto';

/**
 * Eight hex characters naming a request or a call in logs (and shown to users with an error). They
 * correlate, they guard nothing. randomUUID draws on a pooled buffer of entropy, where randomBytes
 * asks the system for every ID: a measurable cost when each command makes several.
 */
export function shortId(): string {
  return randomUUID().slice(0, 8);
}

/**
 * What a fault must never do: show a secret. Checks any text a user or a caller could see (a reply, an
 * ack body, a modal error) against every fixed secret of the test setup and the shape of a Viam access token.
 */
import { knownTestSecrets } from '../../support/log-sink';

/** A Viam access token (a JWT, as the emulator issues them). */
const ACCESS_TOKEN = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/;

/** Names of the secrets `text` holds (never the secrets themselves, so a failure does not print them). */
export function secretsIn(text: string, extra: readonly string[] = []): string[] {
  const found = knownTestSecrets()
    .filter((secret) => text.includes(secret.value))
    .map((secret) => secret.name);
  extra.forEach((value, index) => {
    if (value.length >= 8 && text.includes(value)) found.push(`extra secret #${index + 1}`);
  });
  if (ACCESS_TOKEN.test(text)) found.push('a Viam access token');
  return found;
}

export function expectNoSecret(text: string, extra: readonly string[] = []): void {
  expect(secretsIn(text, extra)).toEqual([]);
}

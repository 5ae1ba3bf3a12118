import { isIPv4, isIPv6 } from 'node:net';
import { createSecureContext } from 'node:tls';
import { type ChannelCredentials, credentials } from '@grpc/grpc-js';
import { ViamBillingError } from './errors';

/**
 * Where the client connects and how. TLS for https:// (Viam's cloud), plaintext only when the URL
 * says http:// and names this machine (a local emulator): an API key must never cross a network
 * unencrypted because of a typo. Anything else is a configuration mistake reported at startup, not
 * a connection error at the first Slack command.
 */

export const DEFAULT_VIAM_URL = 'https://app.viam.com:443';

export interface Endpoint {
  /** gRPC target, `host:port`. */
  target: string;
  secure: boolean;
  credentials: ChannelCredentials;
}

function configError(message: string): ViamBillingError {
  return new ViamBillingError('invalid_argument', message);
}

/** The one sentence for plaintext to anywhere but this machine; config and the client both use it. */
export const PLAINTEXT_ONLY_ON_LOOPBACK =
  'may use plaintext http:// only for this machine (localhost, 127.0.0.0/8 or ::1); use https:// for any other host';

/**
 * Whether a URL's host name is this machine: `localhost`, 127.0.0.0/8 or ::1 (also as an IPv4-mapped
 * address). Takes `URL#hostname`, which has already normalised forms such as `127.1` or `[0::1]`.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost') return true;
  if (isIPv4(host)) return host.startsWith('127.');
  if (isIPv6(host)) return host === '::1' || /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host);
  return false;
}

/** Whether an http(s) URL may carry secrets: https:// anywhere, http:// only to this machine. */
export function isSafeForSecrets(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

export function resolveEndpoint(url: string = DEFAULT_VIAM_URL): Endpoint {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw configError(
      'The Viam API URL is not a valid URL. Use https://app.viam.com:443, or http://host:port for a local emulator.',
    );
  }
  const secure = parsed.protocol === 'https:';
  if (!secure && parsed.protocol !== 'http:') {
    throw configError(
      `The Viam API URL must start with https:// (or http:// for a local emulator), not ${parsed.protocol}//.`,
    );
  }
  // Error text never repeats the URL itself: user info in it would be a credential.
  if (parsed.username !== '' || parsed.password !== '') {
    throw configError('The Viam API URL must not contain a user name or password.');
  }
  if ((parsed.pathname !== '' && parsed.pathname !== '/') || parsed.search !== '' || parsed.hash !== '') {
    throw configError('The Viam API URL must be just scheme, host and port, like https://app.viam.com:443.');
  }
  if (parsed.hostname === '') throw configError('The Viam API URL has no host name.');
  if (!isSafeForSecrets(parsed)) throw configError(`The Viam API URL ${PLAINTEXT_ONLY_ON_LOOPBACK}.`);
  const port = parsed.port !== '' ? parsed.port : secure ? '443' : '80';
  return {
    target: `${parsed.hostname}:${port}`,
    secure,
    // Node's own secure context trusts its bundled roots plus NODE_EXTRA_CA_CERTS, the one setting for a
    // company CA on both HTTPS and gRPC; grpc-js's createSsl() did not trust the extra CAs in our tests.
    credentials: secure ? credentials.createFromSecureContext(createSecureContext()) : credentials.createInsecure(),
  };
}

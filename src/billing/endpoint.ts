import { type ChannelCredentials, credentials } from '@grpc/grpc-js';
import { ViamBillingError } from './errors';

/**
 * Where the client connects and how. TLS for https:// (Viam's cloud), plaintext only when the URL
 * says http:// (a local emulator). Anything else is a configuration mistake reported at startup,
 * not a connection error at the first Slack command.
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
  const port = parsed.port !== '' ? parsed.port : secure ? '443' : '80';
  return {
    target: `${parsed.hostname}:${port}`,
    secure,
    credentials: secure ? credentials.createSsl() : credentials.createInsecure(),
  };
}

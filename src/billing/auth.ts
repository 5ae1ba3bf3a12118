import { createHash } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import type { ViamApiKey } from './model';

/**
 * Access tokens for Viam API keys, as Viam's SDKs handle them: one Authenticate per key, the token
 * reused for every call and every org until Viam rejects it or its JWT `exp` is near. Concurrent
 * first calls for one key share a single Authenticate; a failed Authenticate leaves nothing behind.
 */

/** Trades a key for a token (the AuthService call); rejects with the gRPC error as it came. */
export type Authenticator = (key: ViamApiKey) => Promise<string>;

export interface TokenLease {
  token: string;
  /**
   * True when this call had to wait for an Authenticate. A rejection of a fresh token is Viam's
   * real answer; a rejection of a cached one may just mean the token went stale.
   */
  fresh: boolean;
}

/** Refresh this long before `exp`, capped at half the token's life so short-lived tokens still get used. */
export const DEFAULT_REFRESH_MARGIN_MS = 60_000;

interface CachedToken {
  /** Hash of the secret the token was issued for; a rotated secret must not be served the old token. */
  fingerprint: string;
  token: string;
  /** Epoch ms after which the token is treated as gone; undefined when the JWT has no `exp`. */
  refreshAt?: number;
}

/** The secret is hashed so it is not kept as a map key next to the token it unlocks. */
function fingerprintOf(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** `iat`/`exp` of a JWT in epoch seconds, when the token is a JWT that carries them; never throws. */
export function jwtTimes(token: string): { issuedAt?: number; expiresAt?: number } {
  const [, payload] = token.split('.');
  if (payload === undefined) return {};
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof claims !== 'object' || claims === null) return {};
    const { iat, exp } = claims as Record<string, unknown>;
    return {
      ...(typeof iat === 'number' && Number.isFinite(iat) ? { issuedAt: iat } : {}),
      ...(typeof exp === 'number' && Number.isFinite(exp) ? { expiresAt: exp } : {}),
    };
  } catch {
    return {};
  }
}

/** Epoch ms at which a token should be replaced, or undefined if it states no expiry. */
export function refreshTime(token: string, marginMs: number = DEFAULT_REFRESH_MARGIN_MS): number | undefined {
  const { issuedAt, expiresAt } = jwtTimes(token);
  if (expiresAt === undefined) return undefined;
  const lifetimeMs = issuedAt === undefined ? Number.POSITIVE_INFINITY : (expiresAt - issuedAt) * 1000;
  return expiresAt * 1000 - Math.min(marginMs, Math.max(0, lifetimeMs / 2));
}

/**
 * Whether a billing call's failure means "get a new token and try once more". UNAUTHENTICATED always
 * does; PERMISSION_DENIED only for a cached token (goutils' client treats both as a stale token),
 * because right after a fresh Authenticate it is Viam's real answer.
 */
export function shouldReauthenticate(code: number, lease: TokenLease): boolean {
  return code === status.UNAUTHENTICATED || (code === status.PERMISSION_DENIED && !lease.fresh);
}

export class TokenCache {
  /** By key ID: one live token per key, so rotated secrets replace rather than pile up. */
  private readonly tokens = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(
    private readonly authenticate: Authenticator,
    private readonly now: () => Date,
    private readonly refreshMarginMs: number = DEFAULT_REFRESH_MARGIN_MS,
  ) {}

  async lease(key: ViamApiKey): Promise<TokenLease> {
    const fingerprint = fingerprintOf(key.key);
    const cached = this.tokens.get(key.id);
    if (cached && cached.fingerprint === fingerprint && !this.isDue(cached)) {
      return { token: cached.token, fresh: false };
    }
    const flightKey = `${key.id}:${fingerprint}`;
    let flight = this.inFlight.get(flightKey);
    if (!flight) {
      flight = this.authenticate(key)
        .then((token) => {
          this.tokens.set(key.id, { fingerprint, token, refreshAt: refreshTime(token, this.refreshMarginMs) });
          return token;
        })
        .finally(() => this.inFlight.delete(flightKey));
      this.inFlight.set(flightKey, flight);
    }
    return { token: await flight, fresh: true };
  }

  /** Forgets `token` if it is still the cached one; a newer token fetched meanwhile is kept. */
  drop(key: ViamApiKey, token: string): void {
    if (this.tokens.get(key.id)?.token === token) this.tokens.delete(key.id);
  }

  clear(): void {
    this.tokens.clear();
  }

  private isDue(cached: CachedToken): boolean {
    return cached.refreshAt !== undefined && this.now().getTime() >= cached.refreshAt;
  }
}

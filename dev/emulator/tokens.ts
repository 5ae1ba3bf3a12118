import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/**
 * Issues and checks the access tokens Authenticate hands out: JWT-shaped (base64url header,
 * claims and HS256 signature) with a secret that lives only in this emulator instance, so a token
 * from one emulator never works on another. Viam's clients treat the token as opaque.
 */

export interface TokenClaims {
  /** The API key id the token was issued for. */
  sub: string;
  iat: number;
  jti: string;
  exp?: number;
}

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: string };

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

function base64url(text: string | Buffer): string {
  return Buffer.from(text).toString('base64url');
}

export class TokenAuthority {
  private readonly secret: Buffer;
  /** Tokens still honoured; expireAll() empties it. */
  private readonly live = new Set<string>();

  constructor(
    private readonly now: () => Date,
    private readonly ttlSeconds?: number,
    secret: Buffer = randomBytes(32),
  ) {
    this.secret = secret;
  }

  issue(subject: string): string {
    const iat = Math.floor(this.now().getTime() / 1000);
    const claims: TokenClaims = { sub: subject, iat, jti: randomUUID() };
    if (this.ttlSeconds !== undefined) claims.exp = iat + this.ttlSeconds;
    const unsigned = `${HEADER}.${base64url(JSON.stringify(claims))}`;
    this.live.add(claims.jti);
    return `${unsigned}.${this.sign(unsigned)}`;
  }

  /** Reasons read like the JWT library errors Viam's server reports after "unauthenticated: ". */
  verify(token: string): TokenCheck {
    const parts = token.split('.');
    const [header, payload, signature] = parts;
    if (parts.length !== 3 || !header || !payload || !signature) return { ok: false, reason: 'token is malformed' };
    const expected = Buffer.from(this.sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return { ok: false, reason: 'signature is invalid' };
    }
    const claims = parseClaims(payload);
    if (!claims) return { ok: false, reason: 'token is malformed' };
    if (claims.exp !== undefined && claims.exp * 1000 <= this.now().getTime()) {
      return { ok: false, reason: 'token is expired' };
    }
    if (!this.live.has(claims.jti)) return { ok: false, reason: 'token is expired' };
    return { ok: true, claims };
  }

  /** Every token issued so far stops working; new ones work as usual. */
  expireAll(): void {
    this.live.clear();
  }

  private sign(unsigned: string): string {
    return createHmac('sha256', this.secret).update(unsigned).digest('base64url');
  }
}

function parseClaims(payload: string): TokenClaims | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const { sub, iat, jti, exp } = value as Record<string, unknown>;
    if (typeof sub !== 'string' || typeof iat !== 'number' || typeof jti !== 'string') return undefined;
    if (exp !== undefined && typeof exp !== 'number') return undefined;
    return { sub, iat, jti, ...(exp === undefined ? {} : { exp }) };
  } catch {
    return undefined;
  }
}

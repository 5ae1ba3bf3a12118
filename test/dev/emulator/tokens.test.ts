import { TokenAuthority } from '../../../dev/emulator/tokens';

describe('TokenAuthority', () => {
  let clock = new Date('2026-11-20T12:00:00Z');
  const now = () => clock;
  beforeEach(() => {
    clock = new Date('2026-11-20T12:00:00Z');
  });

  const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());

  it('issues HS256 JWT-shaped tokens with sub, iat and jti, and accepts them', () => {
    const tokens = new TokenAuthority(now);
    const token = tokens.issue('key-1');
    const [header, , signature] = token.split('.');
    expect(JSON.parse(Buffer.from(header ?? '', 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(signature).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const claims = claimsOf(token);
    expect(claims).toEqual({ sub: 'key-1', iat: Date.parse('2026-11-20T12:00:00Z') / 1000, jti: expect.any(String) });
    expect(tokens.verify(token)).toEqual({ ok: true, claims });
    expect(claimsOf(tokens.issue('key-1')).jti).not.toBe(claims.jti);
  });

  it('adds exp with a TTL and rejects the token once the clock passes it', () => {
    const tokens = new TokenAuthority(now, 60);
    const token = tokens.issue('key-1');
    expect(claimsOf(token).exp).toBe(claimsOf(token).iat + 60);
    clock = new Date(clock.getTime() + 59_999);
    expect(tokens.verify(token).ok).toBe(true);
    clock = new Date(clock.getTime() + 1);
    expect(tokens.verify(token)).toEqual({ ok: false, reason: 'token is expired' });
  });

  it('rejects tampered, foreign and malformed tokens', () => {
    const tokens = new TokenAuthority(now);
    const token = tokens.issue('key-1');
    const [header, , signature] = token.split('.');
    const forgedClaims = Buffer.from(JSON.stringify({ ...claimsOf(token), sub: 'key-2' })).toString('base64url');
    expect(tokens.verify(`${header}.${forgedClaims}.${signature}`)).toEqual({
      ok: false,
      reason: 'signature is invalid',
    });
    expect(new TokenAuthority(now).verify(token)).toEqual({ ok: false, reason: 'signature is invalid' });
    expect(tokens.verify('not-a-token')).toEqual({ ok: false, reason: 'token is malformed' });
    expect(tokens.verify('a.b.c.d')).toEqual({ ok: false, reason: 'token is malformed' });
  });

  it('rejects well-signed claims that are not ours, and expires everything on demand', () => {
    const secret = Buffer.alloc(32, 1);
    const tokens = new TokenAuthority(now, undefined, secret);
    const token = tokens.issue('key-1');
    // Same secret, never issued by this authority: a signature alone is not enough.
    expect(new TokenAuthority(now, undefined, secret).verify(token)).toEqual({ ok: false, reason: 'token is expired' });
    tokens.expireAll();
    expect(tokens.verify(token)).toEqual({ ok: false, reason: 'token is expired' });
    expect(tokens.verify(tokens.issue('key-1')).ok).toBe(true);
  });
});

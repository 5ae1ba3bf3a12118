import { status } from '@grpc/grpc-js';
import { jwtTimes, refreshTime, shouldReauthenticate } from '../../src/billing/auth';
import type { ViamApiKey } from '../../src/billing/model';
import { type Harness, type ManualClock, manualClock, rejectionOf, startHarness } from './harness';

function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.signature`;
}

describe('token helpers', () => {
  it('reads iat and exp from a JWT and ignores anything else', () => {
    expect(jwtTimes(jwt({ sub: 'k', iat: 100, exp: 700 }))).toEqual({ issuedAt: 100, expiresAt: 700 });
    expect(jwtTimes(jwt({ sub: 'k' }))).toEqual({});
    expect(jwtTimes(jwt({ exp: 'soon' }))).toEqual({});
    expect(jwtTimes('opaque-token')).toEqual({});
    expect(jwtTimes('a.%%%not-base64-json%%%.c')).toEqual({});
  });

  it('refreshes a minute before exp, or halfway through a short-lived token', () => {
    expect(refreshTime(jwt({ iat: 0, exp: 3600 }))).toBe(3_540_000);
    expect(refreshTime(jwt({ iat: 0, exp: 60 }))).toBe(30_000);
    expect(refreshTime(jwt({ exp: 3600 }))).toBe(3_540_000);
    expect(refreshTime(jwt({ iat: 0 }))).toBeUndefined();
  });

  it('re-authenticates on UNAUTHENTICATED, and on PERMISSION_DENIED only for a cached token', () => {
    expect(shouldReauthenticate(status.UNAUTHENTICATED, { token: 't', fresh: true })).toBe(true);
    expect(shouldReauthenticate(status.PERMISSION_DENIED, { token: 't', fresh: false })).toBe(true);
    expect(shouldReauthenticate(status.PERMISSION_DENIED, { token: 't', fresh: true })).toBe(false);
    expect(shouldReauthenticate(status.NOT_FOUND, { token: 't', fresh: false })).toBe(false);
  });
});

describe('authentication against the emulator', () => {
  let h: Harness;
  let clock: ManualClock;
  const TTL_SECONDS = 600;

  beforeAll(async () => {
    clock = manualClock();
    h = await startHarness({ emulator: { now: () => clock.now(), tokenTtlSeconds: TTL_SECONDS } });
  });
  afterAll(async () => {
    await h.stop();
  });
  beforeEach(() => {
    h.emulator.knobs.reset();
    clock.set(new Date('2026-11-16T12:00:00Z'));
  });

  /** A client with an empty token cache on the shared clock. */
  const freshClient = () => h.newClient({ now: () => clock.now() });

  it('authenticates once and reuses the token for every read', async () => {
    const client = freshClient();
    await client.getCurrentMonthUsage(h.key, h.orgId);
    await client.getOrgBillingInformation(h.key, h.orgId);
    await client.getInvoicesSummary(h.key, h.orgId);
    await client.getInvoicePdf(h.key, h.orgId, 'in_1Q2BhDaOacqzETivG1yBpcAF');
    await client.getCurrentMonthUsage(h.key, h.orgId);

    expect(h.emulator.knobs.callCount('Authenticate')).toBe(1);
  });

  it('sends no authorization on Authenticate and the same Bearer token on every billing call', async () => {
    const client = freshClient();
    await client.getCurrentMonthUsage(h.key, h.orgId);
    await client.getInvoicePdf(h.key, h.orgId, 'in_1Q2BhDaOacqzETivG1yBpcAF');

    expect(h.emulator.knobs.lastMetadata('Authenticate')).not.toHaveProperty('authorization');
    const usageAuth = h.emulator.knobs.lastMetadata('GetCurrentMonthUsage')?.authorization;
    const pdfAuth = h.emulator.knobs.lastMetadata('GetInvoicePdf')?.authorization;
    expect(usageAuth).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(pdfAuth).toBe(usageAuth);
  });

  it('keeps one token per key when two keys are in use', async () => {
    const client = freshClient();
    await client.getOrgBillingInformation(h.key, h.orgId);
    await client.getOrgBillingInformation(h.otherKey, h.otherOrgId);
    await client.getInvoicesSummary(h.key, h.orgId);
    await client.getInvoicesSummary(h.otherKey, h.otherOrgId);

    expect(h.emulator.knobs.callCount('Authenticate')).toBe(2);
  });

  it('shares one Authenticate among concurrent first calls', async () => {
    const client = freshClient();
    h.emulator.knobs.setLatency('Authenticate', 50);

    await Promise.all([
      client.getCurrentMonthUsage(h.key, h.orgId),
      client.getOrgBillingInformation(h.key, h.orgId),
      client.getInvoicesSummary(h.key, h.orgId),
      client.getInvoicesSummary(h.key, h.orgId),
      client.getInvoicePdf(h.key, h.orgId, 'in_1Q2BhDaOacqzETivG1yBpcAF'),
    ]);

    expect(h.emulator.knobs.callCount('Authenticate')).toBe(1);
  });

  it('re-authenticates once after the token expired and retries the call once', async () => {
    const client = freshClient();
    await client.getInvoicesSummary(h.key, h.orgId);
    h.emulator.knobs.expireAllTokens();

    const summary = await client.getInvoicesSummary(h.key, h.orgId);

    expect(summary.invoices.length).toBeGreaterThan(0);
    expect(h.emulator.knobs.callCount('Authenticate')).toBe(2);
    expect(h.emulator.knobs.callCount('GetInvoicesSummary')).toBe(3);
    // Later calls use the new token without another Authenticate.
    await client.getCurrentMonthUsage(h.key, h.orgId);
    expect(h.emulator.knobs.callCount('Authenticate')).toBe(2);
  });

  it('re-authenticates a PDF download whose token expired', async () => {
    const client = freshClient();
    await client.getOrgBillingInformation(h.key, h.orgId);
    h.emulator.knobs.expireAllTokens();

    const pdf = await client.getInvoicePdf(h.key, h.orgId, 'in_1Q2BhDaOacqzETivG1yBpcAF');

    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(h.emulator.knobs.callCount('Authenticate')).toBe(2);
    expect(h.emulator.knobs.callCount('GetInvoicePdf')).toBe(2);
  });

  it('does not loop when the renewed token is rejected too', async () => {
    const client = freshClient();
    await client.getInvoicesSummary(h.key, h.orgId);
    h.emulator.knobs.failNext('GetInvoicesSummary', 5, status.UNAUTHENTICATED, 'unauthenticated: token is expired');

    const error = await rejectionOf(client.getInvoicesSummary(h.key, h.orgId));

    expect(error).toMatchObject({ kind: 'unauthenticated' });
    expect(h.emulator.knobs.callCount('Authenticate')).toBe(2);
    expect(h.emulator.knobs.callCount('GetInvoicesSummary')).toBe(3);
  });

  it('refreshes a JWT shortly before its exp instead of waiting for a rejection', async () => {
    const client = freshClient();
    await client.getOrgBillingInformation(h.key, h.orgId);

    clock.advance(8 * 60 * 1000);
    await client.getOrgBillingInformation(h.key, h.orgId);
    expect(h.emulator.knobs.callCount('Authenticate')).toBe(1);

    // 30 s before exp: inside the refresh margin, so a new token is fetched first.
    clock.advance((2 * 60 - 30) * 1000);
    await client.getOrgBillingInformation(h.key, h.orgId);
    expect(h.emulator.knobs.callCount('Authenticate')).toBe(2);
    expect(h.emulator.knobs.callCount('GetOrgBillingInformation')).toBe(3);
  });

  it('renews a token past its exp after one rejection when the clock jumped', async () => {
    const client = h.newClient({ now: () => new Date('2026-11-16T12:00:00Z') });
    await client.getOrgBillingInformation(h.key, h.orgId);
    clock.advance((TTL_SECONDS + 1) * 1000);

    await client.getOrgBillingInformation(h.key, h.orgId);

    expect(h.emulator.knobs.callCount('Authenticate')).toBe(2);
    expect(h.emulator.knobs.callCount('GetOrgBillingInformation')).toBe(3);
  });

  it('does not cache a failed Authenticate, and all waiting callers see the failure', async () => {
    const client = freshClient();
    h.emulator.knobs.failNext('Authenticate', 1, status.PERMISSION_DENIED, 'failed to authenticate: invalid api key');
    h.emulator.knobs.setLatency('Authenticate', 30);

    const results = await Promise.allSettled([
      client.getInvoicesSummary(h.key, h.orgId),
      client.getOrgBillingInformation(h.key, h.orgId),
    ]);

    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(h.emulator.knobs.callCount('Authenticate')).toBe(1);
    await expect(client.getInvoicesSummary(h.key, h.orgId)).resolves.toBeDefined();
    expect(h.emulator.knobs.callCount('Authenticate')).toBe(2);
  });

  it('never serves a cached token to a different secret for the same key id', async () => {
    const client = freshClient();
    await client.getOrgBillingInformation(h.key, h.orgId);
    const rotated: ViamApiKey = { id: h.key.id, key: 'a-rotated-secret-viam-does-not-know' };

    const error = await rejectionOf(client.getOrgBillingInformation(rotated, h.orgId));

    expect(error).toMatchObject({ kind: 'unauthenticated' });
    expect(h.emulator.knobs.callCount('Authenticate')).toBe(2);
    // The failed attempt left the good key's token alone.
    await client.getOrgBillingInformation(h.key, h.orgId);
    expect(h.emulator.knobs.callCount('Authenticate')).toBe(2);
  });

  it('reports a revoked key as unauthenticated after trying a new token', async () => {
    const client = freshClient();
    await client.getOrgBillingInformation(h.key, h.orgId);
    h.emulator.knobs.revokeKey(h.key.id);

    const error = await rejectionOf(client.getOrgBillingInformation(h.key, h.orgId));

    expect(error).toMatchObject({ kind: 'unauthenticated' });
    expect(error.message).toMatch(/create a new key/);
    expect(h.emulator.knobs.callCount('Authenticate')).toBe(2);
  });

  it('takes PERMISSION_DENIED on a fresh token as the answer, without re-authenticating', async () => {
    const client = freshClient();
    const error = await rejectionOf(client.getCurrentMonthUsage(h.key, h.otherOrgId));

    expect(error).toMatchObject({ kind: 'permission_denied' });
    expect(h.emulator.knobs.callCount('Authenticate')).toBe(1);
    expect(h.emulator.knobs.callCount('GetCurrentMonthUsage')).toBe(1);
  });
});

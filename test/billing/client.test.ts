import { status } from '@grpc/grpc-js';
import { createBillingClient } from '../../src/billing/client';
import { ViamBillingError } from '../../src/billing/errors';
import type { ViamApiKey } from '../../src/billing/model';
import {
  GetCurrentMonthUsageResponse,
  GetInvoicesSummaryResponse,
  SourceType,
  UsageCostType,
} from '../../src/gen/viam/app/v1/billing';
import { captureLogs, type Harness, rejectionOf, startHarness } from './harness';

const READS = ['GetCurrentMonthUsage', 'GetOrgBillingInformation', 'GetInvoicesSummary', 'GetInvoicePdf'] as const;

describe('ViamBillingClient against the emulator', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.stop();
  });
  beforeEach(() => {
    h.emulator.knobs.reset();
    h.sleeps.length = 0;
  });

  describe('the four reads', () => {
    it('reads the current month usage as a UsageReport', async () => {
      const report = await h.client.getCurrentMonthUsage(h.key, h.orgId);

      expect(report.orgId).toBe(h.orgId);
      expect(report.fromDeprecatedFields).toBe(false);
      expect(report.periodStart.getUTCDate()).toBe(1);
      expect(report.periodEnd.getTime()).toBeGreaterThan(report.periodStart.getTime());
      expect(report.sources.map((source) => source.kind)).toEqual(['org', 'fragment']);
      const [org, fragment] = report.sources;
      expect(fragment?.tierName).toBe('Fleet Monitoring Basic');
      expect(org?.lines.find((line) => line.key === 'binary_data_cloud_storage')).toEqual({
        costType: 6,
        key: 'binary_data_cloud_storage',
        label: 'Binary data storage',
        category: 'storage',
        amount: 48.12,
      });
      expect(org?.lines.find((line) => line.costType === 27)).toMatchObject({
        label: 'Premium modules',
        category: 'other',
      });
      const totals = report.sources.reduce((sum, source) => sum + source.totalWithDiscount, 0);
      expect(report.subtotal).toBeCloseTo(totals, 2);
      expect(report.subtotal).toBeGreaterThan(0);
    });

    it('reads billing information with the payment method', async () => {
      const info = await h.client.getOrgBillingInformation(h.key, h.orgId);
      expect(info).toEqual({
        billingEmail: 'billing@acme-robotics.example',
        paymentMethod: { kind: 'card', brand: 'visa', lastFour: '4242' },
      });
    });

    it('reads the invoices summary newest first with dates and payment failures', async () => {
      const summary = await h.client.getInvoicesSummary(h.key, h.orgId);

      expect(summary.invoices).toHaveLength(12);
      const dates = summary.invoices.map((invoice) => invoice.date?.getTime() ?? 0);
      expect([...dates].sort((a, b) => b - a)).toEqual(dates);
      const [latest] = summary.invoices;
      expect(latest).toMatchObject({ id: 'in_1Q5dwGLzZ8juh4cDOAY1alln', amount: 268.55, status: 'outstanding' });
      expect(latest?.paymentFailure?.reason).toBe('card_declined');
      expect(latest?.paymentFailure?.at).toBeInstanceOf(Date);
      expect(latest?.paidDate).toBeUndefined();
      expect(summary.invoices.find((invoice) => invoice.status === 'paid')?.paidDate).toBeInstanceOf(Date);
      // Outstanding + payment_processing, as the emulator counts everything not settled.
      expect(summary.outstandingBalance).toBeCloseTo(268.55 + 251.1, 2);
    });

    it('downloads an invoice PDF', async () => {
      const pdf = await h.client.getInvoicePdf(h.key, h.orgId, 'in_1Q5dwGLzZ8juh4cDOAY1alln');
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.subarray(-8).toString('latin1')).toContain('%%EOF');
    });

    it('downloads a large invoice PDF as the parts Viam streamed, which join into the same file', async () => {
      const id = 'in_1Q5dwGLzZ8juh4cDOAY1alln';
      h.emulator.knobs.setPdfSize(id, 300_000);
      const parts = await h.client.getInvoicePdfParts(h.key, h.orgId, id);
      expect(parts.length).toBeGreaterThan(1);
      expect(Buffer.concat(parts).equals(await h.client.getInvoicePdf(h.key, h.orgId, id))).toBe(true);
      expect(Buffer.concat(parts)).toHaveLength(300_000);
    });

    it('checks access with one billing read', async () => {
      const info = await h.client.checkAccess(h.key, h.orgId);
      expect(info.billingEmail).toBe('billing@acme-robotics.example');
      expect(h.emulator.knobs.callCount('GetOrgBillingInformation')).toBe(1);
      expect(h.emulator.knobs.callCount('GetCurrentMonthUsage')).toBe(0);
    });

    it('serves two orgs with their own keys from one client', async () => {
      const first = await h.client.getOrgBillingInformation(h.key, h.orgId);
      const second = await h.client.getOrgBillingInformation(h.otherKey, h.otherOrgId);
      expect(first.billingEmail).not.toBe(second.billingEmail);
    });
  });

  describe('what Viam sends that this build does not know', () => {
    it('keeps unknown cost types and falls back to the deprecated flat fields', async () => {
      h.emulator.knobs.setUsageResponse(
        h.orgId,
        GetCurrentMonthUsageResponse.fromPartial({
          startDate: new Date('2026-11-01T00:00:00Z'),
          endDate: new Date('2026-11-30T23:59:59.999Z'),
          resourceUsageCostsBySource: [
            {
              sourceType: SourceType.SOURCE_TYPE_ORG,
              resourceUsageCosts: {
                usageCosts: [
                  { resourceType: 42 as UsageCostType, cost: 3.5 },
                  { resourceType: UsageCostType.USAGE_COST_TYPE_STANDARD_COMPUTE, cost: 0 },
                ],
                totalWithDiscount: 3.5,
                totalWithoutDiscount: 3.5,
              },
            },
          ],
          subtotal: 3.5,
        }),
      );
      const unknown = await h.client.getCurrentMonthUsage(h.key, h.orgId);
      expect(unknown.sources[0]?.lines).toEqual([
        { costType: 42, key: 'unknown_42', label: 'Other charges (type 42)', category: 'other', amount: 3.5 },
        { costType: 4, key: 'standard_compute', label: 'Standard compute', category: 'compute', amount: 0 },
      ]);

      h.emulator.knobs.setUsageResponse(
        h.orgId,
        GetCurrentMonthUsageResponse.fromPartial({
          startDate: new Date('2026-11-01T00:00:00Z'),
          endDate: new Date('2026-11-30T23:59:59.999Z'),
          cloudStorageUsageCost: 10,
          remoteControlUsageCost: 2.5,
          discountAmount: 1,
          totalUsageWithDiscount: 11.5,
          totalUsageWithoutDiscount: 12.5,
        }),
      );
      const legacy = await h.client.getCurrentMonthUsage(h.key, h.orgId);
      expect(legacy.fromDeprecatedFields).toBe(true);
      expect(legacy.subtotal).toBe(11.5);
      expect(legacy.sources).toEqual([
        {
          kind: 'org',
          tierName: '',
          discount: 1,
          totalWithDiscount: 11.5,
          totalWithoutDiscount: 12.5,
          lines: [
            { costType: 5, key: 'cloud_storage', label: 'Cloud storage', category: 'storage', amount: 10 },
            { costType: 3, key: 'remote_control', label: 'Remote control', category: 'other', amount: 2.5 },
          ],
        },
      ]);
    });

    it('keeps an unknown invoice status verbatim, lowercased', async () => {
      h.emulator.knobs.setInvoicesResponse(
        h.orgId,
        GetInvoicesSummaryResponse.fromPartial({
          outstandingBalance: 0,
          invoices: [{ id: 'in_new', invoiceDate: new Date('2026-10-01T00:00:00Z'), status: ' Refunded_Partially ' }],
        }),
      );
      const summary = await h.client.getInvoicesSummary(h.key, h.orgId);
      expect(summary.invoices[0]?.status).toBe('refunded_partially');
    });
  });

  describe('errors', () => {
    it('reports a wrong org as permission_denied after one fresh re-check', async () => {
      await h.client.getOrgBillingInformation(h.key, h.orgId);
      const authBefore = h.emulator.knobs.callCount('Authenticate');

      const error = await rejectionOf(h.client.getCurrentMonthUsage(h.key, h.otherOrgId));

      expect(error).toBeInstanceOf(ViamBillingError);
      expect(error).toMatchObject({ kind: 'permission_denied', grpcCode: status.PERMISSION_DENIED });
      expect(error.message).toMatch(/not allowed to read billing/);
      // The cached token might have been stale, so it was renewed once; the fresh answer stands.
      expect(h.emulator.knobs.callCount('Authenticate')).toBe(authBefore + 1);
      expect(h.emulator.knobs.callCount('GetCurrentMonthUsage')).toBe(2);
    });

    it('reports a wrong key as unauthenticated, asking for a new key', async () => {
      const wrong: ViamApiKey = { id: h.key.id, key: 'not-the-right-secret-at-all' };
      const error = await rejectionOf(h.client.getInvoicesSummary(wrong, h.orgId));
      expect(error).toMatchObject({ kind: 'unauthenticated', grpcCode: status.PERMISSION_DENIED });
      expect(error.message).toMatch(/did not accept the API key/);
      expect(h.emulator.knobs.callCount('GetInvoicesSummary')).toBe(0);
    });

    it('reports an unknown invoice as not_found, naming it', async () => {
      const error = await rejectionOf(h.client.getInvoicePdf(h.key, h.orgId, 'in_doesNotExist123'));
      expect(error).toMatchObject({ kind: 'not_found', grpcCode: status.NOT_FOUND });
      expect(error.message).toContain('in_doesNotExist123');
    });

    it('gives up at the deadline with deadline_exceeded and does not retry it', async () => {
      const client = h.newClient({ deadlineMs: 200 });
      await client.getOrgBillingInformation(h.key, h.orgId);
      h.emulator.knobs.setLatency('GetOrgBillingInformation', 1000);

      const started = Date.now();
      const error = await rejectionOf(client.getOrgBillingInformation(h.key, h.orgId));

      expect(error).toMatchObject({ kind: 'deadline_exceeded', transient: true });
      expect(Date.now() - started).toBeLessThan(900);
      expect(h.emulator.knobs.callCount('GetOrgBillingInformation')).toBe(2);
    });

    it('keeps a budgeted access check within its budget, retries included', async () => {
      const client = h.newClient({ retry: { attempts: 3, baseDelayMs: 400 }, random: () => 0.99 });
      await client.checkAccess(h.key, h.orgId);
      h.emulator.knobs.setLatency('GetOrgBillingInformation', 1000);

      const started = Date.now();
      const error = await rejectionOf(client.checkAccess(h.key, h.orgId, { budgetMs: 300 }));

      expect(error).toMatchObject({ kind: 'deadline_exceeded' });
      expect(Date.now() - started).toBeLessThan(900);
      h.emulator.knobs.setLatency('GetOrgBillingInformation', 0);
      h.emulator.knobs.failNext('GetOrgBillingInformation', 5, status.UNAVAILABLE);
      await expect(client.checkAccess(h.key, h.orgId, { budgetMs: 300 })).rejects.toMatchObject({
        kind: 'unavailable',
      });
      expect(h.sleeps).toEqual([]);
    });

    it('retries UNAVAILABLE with growing jittered waits, then succeeds', async () => {
      const client = h.newClient({ retry: { attempts: 3, baseDelayMs: 100 }, random: () => 0.5 });
      h.emulator.knobs.failNext('GetInvoicesSummary', 2, status.UNAVAILABLE, 'backend restarting');

      const summary = await client.getInvoicesSummary(h.key, h.orgId);

      expect(summary.invoices.length).toBeGreaterThan(0);
      expect(h.emulator.knobs.callCount('GetInvoicesSummary')).toBe(3);
      expect(h.sleeps).toEqual([75, 150]);
    });

    it('gives up after the configured attempts with unavailable', async () => {
      const client = h.newClient({ retry: { attempts: 4, baseDelayMs: 10 } });
      h.emulator.knobs.failNext('GetCurrentMonthUsage', 10, status.UNAVAILABLE);

      const error = await rejectionOf(client.getCurrentMonthUsage(h.key, h.orgId));

      expect(error).toMatchObject({ kind: 'unavailable', grpcCode: status.UNAVAILABLE });
      expect(h.emulator.knobs.callCount('GetCurrentMonthUsage')).toBe(4);
      expect(h.sleeps).toHaveLength(3);
    });

    it('retries an unavailable Authenticate too', async () => {
      const client = h.newClient();
      h.emulator.knobs.failNext('Authenticate', 1, status.UNAVAILABLE);
      await expect(client.getOrgBillingInformation(h.key, h.orgId)).resolves.toBeDefined();
      expect(h.emulator.knobs.callCount('Authenticate')).toBe(2);
    });

    it('does not retry other failures', async () => {
      h.emulator.knobs.failNext('GetInvoicesSummary', 1, status.INTERNAL, 'database exploded at row 7');
      const error = await rejectionOf(h.client.getInvoicesSummary(h.key, h.orgId));
      expect(error).toMatchObject({ kind: 'internal', grpcCode: status.INTERNAL });
      expect(error.message).not.toContain('database');
      expect(h.emulator.knobs.callCount('GetInvoicesSummary')).toBe(1);
    });

    it('accepts answers above the 4 MiB gRPC default, up to the 32 MiB limit of the Viam Go client', async () => {
      const MiB = 1024 * 1024;
      const withStatusOf = (bytes: number) =>
        GetInvoicesSummaryResponse.fromPartial({ invoices: [{ id: 'in_big', status: 'x'.repeat(bytes) }] });

      h.emulator.knobs.setInvoicesResponse(h.orgId, withStatusOf(5 * MiB));
      const big = await h.client.getInvoicesSummary(h.key, h.orgId);
      expect(big.invoices[0]?.status).toHaveLength(5 * MiB);

      h.emulator.knobs.setInvoicesResponse(h.orgId, withStatusOf(33 * MiB));
      const error = await rejectionOf(h.client.getInvoicesSummary(h.key, h.orgId));
      expect(error).toMatchObject({ kind: 'too_large', grpcCode: status.RESOURCE_EXHAUSTED });
    });

    it('maps RESOURCE_EXHAUSTED that is not about size to internal', async () => {
      h.emulator.knobs.failNext('GetInvoicesSummary', 1, status.RESOURCE_EXHAUSTED, 'rate limit');
      const error = await rejectionOf(h.client.getInvoicesSummary(h.key, h.orgId));
      expect(error).toMatchObject({ kind: 'internal', grpcCode: status.RESOURCE_EXHAUSTED });
    });
  });

  describe('input validation', () => {
    const bad: Array<[string, (client: Harness['client'], h: Harness) => Promise<unknown>, RegExp]> = [
      ['org id', (c, x) => c.getCurrentMonthUsage(x.key, 'acme'), /organization ID must be a UUID/],
      ['api key id', (c, x) => c.getInvoicesSummary({ id: 'key-1', key: x.key.key }, x.orgId), /API key ID/],
      ['empty secret', (c, x) => c.getOrgBillingInformation({ id: x.key.id, key: '' }, x.orgId), /API key must be/],
      [
        'secret with a space',
        (c, x) => c.getOrgBillingInformation({ id: x.key.id, key: 'has a space inside it' }, x.orgId),
        /no spaces/,
      ],
      ['invoice id', (c, x) => c.getInvoicePdf(x.key, x.orgId, '../etc/passwd'), /invoice ID must be/],
      ['empty invoice id', (c, x) => c.getInvoicePdf(x.key, x.orgId, ''), /invoice ID must be/],
    ];

    it.each(bad)('rejects a bad %s before any network call', async (_name, call, message) => {
      const error = await rejectionOf(call(h.client, h));
      expect(error).toMatchObject({ kind: 'invalid_argument' });
      expect(error.message).toMatch(message);
      expect(h.emulator.knobs.callCount('Authenticate')).toBe(0);
      for (const method of READS) expect(h.emulator.knobs.callCount(method)).toBe(0);
    });
  });

  describe('the connection', () => {
    it('refuses calls after close() with a clear error and no network call', async () => {
      const client = h.newClient();
      await client.getOrgBillingInformation(h.key, h.orgId);
      client.close();
      const before = h.emulator.knobs.callCount('GetOrgBillingInformation');

      const error = await rejectionOf(client.getOrgBillingInformation(h.key, h.orgId));

      expect(error).toBeInstanceOf(ViamBillingError);
      expect(error.message).toMatch(/shut down/);
      expect(client.closed).toBe(true);
      expect(h.emulator.knobs.callCount('GetOrgBillingInformation')).toBe(before);
    });

    it('speaks TLS to an https URL, which a plaintext server answers with unavailable', async () => {
      const client = createBillingClient({
        url: `https://localhost:${h.emulator.port}`,
        retry: { attempts: 1, baseDelayMs: 0 },
        deadlineMs: 3000,
      });
      try {
        expect(client.endpoint).toEqual({ target: `localhost:${h.emulator.port}`, secure: true });
        const error = await rejectionOf(client.getOrgBillingInformation(h.key, h.orgId));
        expect(error).toMatchObject({ kind: 'unavailable' });
        expect(h.emulator.knobs.callCount('Authenticate')).toBe(0);
      } finally {
        client.close();
      }
    });

    it('holds each answer until its turn given by beforeResult, and only once per call', async () => {
      const turns: Array<() => void> = [];
      const client = createBillingClient({
        url: `http://127.0.0.1:${h.emulator.port}`,
        beforeResult: () => new Promise<void>((resolve) => turns.push(resolve)),
      });
      try {
        let settled = false;
        const reading = client.getInvoicesSummary(h.key, h.orgId).then((summary) => {
          settled = true;
          return summary;
        });
        while (turns.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
        expect(h.emulator.knobs.callCount('GetInvoicesSummary')).toBe(1);
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(settled).toBe(false);
        turns.shift()?.();
        expect((await reading).invoices.length).toBeGreaterThan(0);
        // Authenticate went first but is not an answer anyone waits to render.
        expect(turns).toHaveLength(0);
      } finally {
        client.close();
      }
    });

    it('reports a closed port as unavailable after the retries', async () => {
      const client = createBillingClient({
        url: 'http://127.0.0.1:1',
        retry: { attempts: 2, baseDelayMs: 0 },
        sleep: async () => {},
      });
      try {
        const error = await rejectionOf(client.getCurrentMonthUsage(h.key, h.orgId));
        expect(error).toMatchObject({ kind: 'unavailable' });
      } finally {
        client.close();
      }
    });

    it('rejects options that make no sense when the client is built', () => {
      expect(() => createBillingClient({ url: 'ftp://app.viam.com' })).toThrow(/https:\/\//);
      expect(() => createBillingClient({ deadlineMs: 0 })).toThrow(/deadline/);
      expect(() => createBillingClient({ maxPdfBytes: -1 })).toThrow(/PDF size limit/);
      expect(() => createBillingClient({ retry: { attempts: 0, baseDelayMs: 10 } })).toThrow(/attempts/);
    });
  });
  describe('secrets', () => {
    it('keeps API keys and tokens out of every error and log line, while logging what operators need', async () => {
      const logs = captureLogs();
      const client = h.newClient({ logger: logs.logger, retry: { attempts: 2, baseDelayMs: 1 }, deadlineMs: 300 });
      const wrongSecret = 'wrong-secret-that-must-not-leak-9f8e7d';
      const errors: Error[] = [];
      const collect = async (promise: Promise<unknown>) => errors.push(await rejectionOf(promise));

      await client.getCurrentMonthUsage(h.key, h.orgId);
      const firstToken = h.emulator.knobs.lastMetadata('GetCurrentMonthUsage')?.authorization?.replace('Bearer ', '');
      expect(firstToken).toBeTruthy();
      await client.getOrgBillingInformation(h.key, h.orgId);
      await client.getInvoicePdf(h.key, h.orgId, 'in_1Q2BhDaOacqzETivG1yBpcAF');
      await collect(client.getInvoicesSummary({ id: h.key.id, key: wrongSecret }, h.orgId));
      await collect(client.getInvoicesSummary({ id: h.key.id, key: `${wrongSecret} x` }, h.orgId));
      await collect(client.getCurrentMonthUsage(h.key, h.otherOrgId));
      await collect(client.getInvoicePdf(h.key, h.orgId, 'in_missing'));
      // A server that echoes the credentials back in its error text.
      h.emulator.knobs.failNext('GetInvoicesSummary', 1, status.INTERNAL, `bad ${h.key.key} with ${firstToken}`);
      await collect(client.getInvoicesSummary(h.key, h.orgId));
      h.emulator.knobs.failNext('Authenticate', 1, status.INTERNAL, `echo ${h.key.key}`);
      h.emulator.knobs.expireAllTokens();
      await collect(client.getInvoicesSummary(h.key, h.orgId));
      h.emulator.knobs.failNext('GetOrgBillingInformation', 3, status.UNAVAILABLE, `down ${h.key.key}`);
      await collect(client.getOrgBillingInformation(h.key, h.orgId));
      h.emulator.knobs.setLatency('GetCurrentMonthUsage', 1000);
      await collect(client.getCurrentMonthUsage(h.key, h.orgId));
      h.emulator.knobs.setLatency('GetCurrentMonthUsage', 0);
      await client.getCurrentMonthUsage(h.key, h.orgId);
      const secondToken = h.emulator.knobs.lastMetadata('GetCurrentMonthUsage')?.authorization?.replace('Bearer ', '');
      expect(secondToken).toBeTruthy();
      expect(secondToken).not.toBe(firstToken);

      const secrets = [h.key.key, wrongSecret, firstToken ?? '', secondToken ?? ''];
      expect(errors).toHaveLength(8);
      const errorText = errors.map((error) => `${String(error)}\n${error.stack}\n${JSON.stringify(error)}`).join('\n');
      const logText = logs.text();
      for (const secret of secrets) {
        expect(errorText).not.toContain(secret);
        expect(logText).not.toContain(secret);
      }

      const lines = logs.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(
        lines.find((line) => line.code === 'PERMISSION_DENIED' && line.kind === 'permission_denied'),
      ).toMatchObject({
        level: 40,
        method: 'GetCurrentMonthUsage',
        orgId: h.otherOrgId,
        keyIdSuffix: h.key.id.slice(-4),
        attempt: 1,
        callId: expect.stringMatching(/^[0-9a-f]{8}$/),
        serverMessage: expect.any(String),
      });
      expect(lines.find((line) => line.code === 'INTERNAL' && line.method === 'GetInvoicesSummary')).toMatchObject({
        serverMessage: 'bad [redacted] with [redacted]',
      });
      expect(lines.some((line) => line.msg === 'viam call succeeded' && line.level === 20)).toBe(true);
    });
  });

  describe('log fields of a request', () => {
    it("a view from withLogFields adds the request's fields to its lines and shares the client's token", async () => {
      const logs = captureLogs();
      const client = h.newClient({ logger: logs.logger, retry: { attempts: 1, baseDelayMs: 1 } });
      const forRequest = client.withLogFields({ requestId: 'req12345', team: 'T1' });
      await client.getCurrentMonthUsage(h.key, h.orgId);
      const authenticatesBefore = h.emulator.knobs.callCount('Authenticate');
      await forRequest.getCurrentMonthUsage(h.key, h.orgId);
      // One channel and one token cache: the view authenticates no second time.
      expect(h.emulator.knobs.callCount('Authenticate')).toBe(authenticatesBefore);
      await rejectionOf(forRequest.getCurrentMonthUsage(h.key, h.otherOrgId));

      const lines = logs.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      const calls = lines.filter((line) => line.method === 'GetCurrentMonthUsage');
      const [rootLine, viewLine, ...refusalLines] = calls;
      expect(rootLine).not.toHaveProperty('requestId');
      expect(viewLine).toMatchObject({ requestId: 'req12345', team: 'T1', msg: 'viam call succeeded' });
      // The refusal's lines (a second try with a fresh token, then the failure) carry them too.
      expect(refusalLines.map((line) => line.msg)).toContain('viam call failed');
      for (const line of refusalLines) expect(line).toMatchObject({ requestId: 'req12345', team: 'T1' });
    });
  });
});

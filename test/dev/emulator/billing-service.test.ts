import { type Metadata, status } from '@grpc/grpc-js';
import { type RunningEmulator, startEmulator } from '../../../dev/emulator';
import { handlerKey, UNIMPLEMENTED_BILLING_METHODS } from '../../../dev/emulator/methods';
import {
  type GetCurrentMonthUsageResponse,
  type GetInvoicesSummaryResponse,
  type GetOrgBillingInformationResponse,
  PaymentMethodType,
  SourceType,
} from '../../../src/gen/viam/app/v1/billing';
import {
  authenticate,
  bearer,
  type Clients,
  call,
  connect,
  demoOrg,
  downloadPdf,
  expectStatus,
  failure,
  headers,
} from './grpc-clients';
import { inspectPdf } from './pdf-inspect';

/** Viam's billing page groups (reference §6.1), by UsageCostType number. */
const CATEGORY_OF: Record<number, string> = {
  5: 'storage',
  6: 'storage',
  7: 'storage',
  10: 'storage',
  11: 'storage',
  12: 'storage',
  13: 'storage',
  14: 'storage',
  22: 'storage',
  25: 'storage',
  4: 'compute',
  23: 'compute',
  26: 'compute',
  1: 'transfer',
  2: 'transfer',
  15: 'transfer',
  16: 'transfer',
  17: 'transfer',
  18: 'transfer',
  19: 'transfer',
  20: 'transfer',
  21: 'transfer',
  24: 'transfer',
  3: 'other',
  8: 'other',
  9: 'other',
  27: 'other',
};

const cents = (value: number) => Math.round(value * 100);

describe('emulator BillingService', () => {
  const start = new Date('2026-11-20T12:00:00Z');
  let clock = start;
  let emulator: RunningEmulator;
  let clients: Clients;
  let token: string;

  beforeAll(async () => {
    emulator = await startEmulator({ now: () => clock, tokenTtlSeconds: 3600 });
    clients = connect(emulator);
  });
  afterAll(async () => {
    clients.close();
    await emulator.stop();
  });
  beforeEach(async () => {
    clock = start;
    emulator.knobs.reset();
    token = await authenticate(clients, demoOrg(emulator));
  });

  const usage = (orgId: string, metadata: Metadata) =>
    call(clients.billing, clients.billing.getCurrentMonthUsage, { orgId }, metadata);
  const billingInfo = (orgId: string, metadata: Metadata) =>
    call(clients.billing, clients.billing.getOrgBillingInformation, { orgId }, metadata);
  const invoices = (orgId: string, metadata: Metadata) =>
    call(clients.billing, clients.billing.getInvoicesSummary, { orgId }, metadata);

  describe('bearer token checks', () => {
    const mainOrgId = () => demoOrg(emulator).orgId;

    // (grpc-js clients refuse to send two authorization values, so that case is not reachable from here.)
    it('needs an authorization header', async () => {
      expectStatus(await failure(usage(mainOrgId(), headers({}))), status.UNAUTHENTICATED, 'authentication required');
    });

    it('needs the Bearer prefix', async () => {
      expectStatus(
        await failure(usage(mainOrgId(), headers({ authorization: token }))),
        status.UNAUTHENTICATED,
        'expected authorization header with prefix: Bearer ',
      );
    });

    it('rejects garbage, forged and expired tokens', async () => {
      expectStatus(
        await failure(usage(mainOrgId(), bearer('garbage'))),
        status.UNAUTHENTICATED,
        'unauthenticated: token is malformed',
      );
      const [head, , signature] = token.split('.');
      const claims = Buffer.from(JSON.stringify({ sub: demoOrg(emulator, 1).apiKeyId, iat: 1, jti: 'x' })).toString(
        'base64url',
      );
      expectStatus(
        await failure(usage(mainOrgId(), bearer(`${head}.${claims}.${signature}`))),
        status.UNAUTHENTICATED,
        'unauthenticated: signature is invalid',
      );
      clock = new Date(start.getTime() + 3600_000);
      expectStatus(
        await failure(usage(mainOrgId(), bearer(token))),
        status.UNAUTHENTICATED,
        'unauthenticated: token is expired',
      );
    });
  });

  describe('org isolation', () => {
    const reads = {
      GetCurrentMonthUsage: (orgId: string, md: Metadata) => usage(orgId, md),
      GetOrgBillingInformation: (orgId: string, md: Metadata) => billingInfo(orgId, md),
      GetInvoicesSummary: (orgId: string, md: Metadata) => invoices(orgId, md),
      GetInvoicePdf: async (orgId: string, md: Metadata) => {
        const download = await downloadPdf(clients, { id: 'in_1Q9puAIfkSj7oJbsy2lWSHlR', orgId }, md);
        if (download.error) throw download.error;
        return download;
      },
    };

    it.each(Object.entries(reads))('%s refuses another org, an unknown org and an empty org id', async (_m, read) => {
      for (const orgId of [demoOrg(emulator, 1).orgId, '00000000-0000-4000-8000-000000000000', '']) {
        expectStatus(
          await failure(read(orgId, bearer(token))),
          status.PERMISSION_DENIED,
          `permission denied: this API key has no billing access to organization "${orgId}"`,
        );
      }
    });

    it("lets the second org's key read its own org", async () => {
      const second = demoOrg(emulator, 1);
      const own = bearer(await authenticate(clients, second));
      await expect(usage(second.orgId, own)).resolves.toBeDefined();
      expectStatus(await failure(usage(demoOrg(emulator).orgId, own)), status.PERMISSION_DENIED);
    });
  });

  describe('GetCurrentMonthUsage', () => {
    let response: GetCurrentMonthUsageResponse;
    beforeEach(async () => {
      response = await usage(demoOrg(emulator).orgId, bearer(token));
    });

    it('covers the UTC calendar month of the clock', () => {
      expect(response.startDate).toEqual(new Date('2026-11-01T00:00:00.000Z'));
      expect(response.endDate).toEqual(new Date('2026-11-30T23:59:59.999Z'));
    });

    it('has the org source and a discounted fragment tier, with totals that match their lines', () => {
      const sources = response.resourceUsageCostsBySource;
      expect(sources.map((s) => [s.sourceType, s.tierName])).toEqual([
        [SourceType.SOURCE_TYPE_ORG, ''],
        [SourceType.SOURCE_TYPE_FRAGMENT, 'Fleet Monitoring Basic'],
      ]);
      for (const source of sources) {
        const costs = source.resourceUsageCosts ?? fail('no costs');
        const lines = costs.usageCosts.reduce((sum, line) => sum + cents(line.cost), 0);
        expect(cents(costs.totalWithoutDiscount)).toBe(lines);
        expect(cents(costs.totalWithDiscount)).toBe(lines - cents(costs.discount));
      }
      expect(sources[1]?.resourceUsageCosts?.discount).toBe(4);
      const subtotal = sources.reduce((sum, s) => sum + cents(s.resourceUsageCosts?.totalWithDiscount ?? 0), 0);
      expect(cents(response.subtotal)).toBe(subtotal);
      expect(response.subtotal).toBe(290.23);
    });

    it('spreads many cost types over all four categories, including the newest type 27', () => {
      const types = response.resourceUsageCostsBySource.flatMap(
        (s) => s.resourceUsageCosts?.usageCosts.map((line) => line.resourceType) ?? [],
      );
      expect(new Set(types).size).toBeGreaterThanOrEqual(20);
      expect(new Set(types.map((type) => CATEGORY_OF[type]))).toEqual(
        new Set(['storage', 'compute', 'transfer', 'other']),
      );
      expect(types).toContain(27);
    });

    it('leaves the deprecated flat fields empty', () => {
      expect(response.totalUsageWithDiscount).toBe(0);
      expect(response.cloudStorageUsageCost).toBe(0);
    });

    it('reports an empty month for an org without usage', async () => {
      const sandbox = demoOrg(emulator, 2);
      const empty = await usage(sandbox.orgId, bearer(await authenticate(clients, sandbox)));
      expect(empty.resourceUsageCostsBySource).toEqual([]);
      expect(empty.subtotal).toBe(0);
    });
  });

  describe('GetOrgBillingInformation', () => {
    it('gives the main org a card and a billing email, without a tier', async () => {
      const info = await billingInfo(demoOrg(emulator).orgId, bearer(token));
      expect(info).toEqual<GetOrgBillingInformationResponse>({
        type: PaymentMethodType.PAYMENT_METHOD_TYPE_CARD,
        billingEmail: 'billing@acme-robotics.example',
        method: { brand: 'visa', lastFourDigits: '4242' },
        billingTier: undefined,
        methodUsBankAccount: undefined,
      });
    });

    it('gives the second org an unverified US bank account and a billing tier', async () => {
      const second = demoOrg(emulator, 1);
      const info = await billingInfo(second.orgId, bearer(await authenticate(clients, second)));
      expect(info.type).toBe(PaymentMethodType.PAYMENT_METHOD_TYPE_USBANKACCOUNT);
      expect(info.billingTier).toBe('Growth');
      expect(info.method).toBeUndefined();
      expect(info.methodUsBankAccount).toEqual({
        bankName: 'DEMO NATIONAL BANK',
        lastFourDigitsAccountNumber: '6789',
        routingNumber: '110000000',
        accountType: 'checking',
        verificationInfo: {
          arrivalDate: Date.parse('2026-11-22T00:00:00Z') / 1000,
          hostedVerificationPageUrl: 'https://verify.emulator.invalid/microdeposits/rivet-farms',
        },
      });
    });
  });

  describe('GetInvoicesSummary', () => {
    let summary: GetInvoicesSummaryResponse;
    beforeEach(async () => {
      summary = await invoices(demoOrg(emulator).orgId, bearer(token));
    });

    it('lists a year of monthly invoices, newest first, with unique Stripe-like ids', () => {
      expect(summary.invoices).toHaveLength(12);
      const ids = summary.invoices.map((invoice) => invoice.id);
      expect(new Set(ids).size).toBe(12);
      for (const id of ids) expect(id).toMatch(/^in_1Q[A-Za-z0-9]{22}$/);
      expect(summary.invoices.map((invoice) => invoice.invoiceDate?.toISOString().slice(0, 10))).toEqual([
        '2026-11-01',
        '2026-10-01',
        '2026-09-01',
        '2026-08-01',
        '2026-07-01',
        '2026-06-01',
        '2026-05-01',
        '2026-04-01',
        '2026-03-01',
        '2026-02-01',
        '2026-01-01',
        '2025-12-01',
      ]);
    });

    it('has an outstanding newest invoice with a declined card, one processing, the rest paid', () => {
      const [newest, processing, ...rest] = summary.invoices;
      expect(newest).toMatchObject({
        status: 'outstanding',
        dueDate: new Date('2026-11-16T00:00:00Z'),
        paidDate: undefined,
        lastPaymentFailureReason: 'card_declined',
        lastPaymentFailureAt: new Date('2026-11-01T02:00:00Z'),
      });
      expect(processing).toMatchObject({ status: 'payment_processing', paidDate: undefined });
      for (const invoice of rest) {
        expect(invoice.status).toBe('paid');
        expect(invoice.paidDate?.getTime()).toBeGreaterThanOrEqual(invoice.invoiceDate?.getTime() ?? Infinity);
        expect(invoice.lastPaymentFailureReason).toBe('');
      }
    });

    it('sums the unpaid invoices into the outstanding balance', () => {
      const unpaid = summary.invoices.filter((invoice) => invoice.status !== 'paid');
      expect(cents(summary.outstandingBalance)).toBe(unpaid.reduce((sum, i) => sum + cents(i.invoiceAmount), 0));
      expect(summary.outstandingBalance).toBe(519.65);
    });

    it('gives the second org an overdue invoice, and an org without invoices an empty list', async () => {
      const second = demoOrg(emulator, 1);
      const theirs = await invoices(second.orgId, bearer(await authenticate(clients, second)));
      expect(theirs.invoices.map((invoice) => invoice.status).slice(0, 2)).toEqual(['outstanding', 'overdue']);
      expect(theirs.outstandingBalance).toBe(259.35);
      const sandbox = demoOrg(emulator, 2);
      expect(await invoices(sandbox.orgId, bearer(await authenticate(clients, sandbox)))).toEqual({
        outstandingBalance: 0,
        invoices: [],
      });
    });
  });

  describe('GetInvoicePdf', () => {
    it('streams a valid multi-page PDF in at least two chunks', async () => {
      const org = demoOrg(emulator);
      const { chunks, error } = await downloadPdf(
        clients,
        { id: 'in_1Q2BhDaOacqzETivG1yBpcAF', orgId: org.orgId },
        bearer(token),
      );
      expect(error).toBeUndefined();
      expect(chunks.length).toBeGreaterThanOrEqual(2);
      const pdf = inspectPdf(Buffer.concat(chunks));
      expect(pdf.pageCount).toBeGreaterThanOrEqual(2);
      const text = pdf.texts.join('\n');
      for (const expected of [
        org.name,
        org.orgId,
        'in_1Q2BhDaOacqzETivG1yBpcAF',
        '2026-09-01 to 2026-09-30',
        '$251.10',
      ]) {
        expect(text).toContain(expected);
      }
    });

    it("answers NOT_FOUND for an unknown invoice and for another org's invoice", async () => {
      const orgId = demoOrg(emulator).orgId;
      for (const id of ['in_1QDoesNotExist0000000000', 'in_1Q9puAIfkSj7oJbsy2lWSHlR']) {
        const { chunks, error } = await downloadPdf(clients, { id, orgId }, bearer(token));
        expect(chunks).toEqual([]);
        expectStatus(error ?? fail('expected an error'), status.NOT_FOUND, `invoice "${id}" not found`);
      }
    });

    it('checks the token before anything else', async () => {
      const { error } = await downloadPdf(clients, { id: 'x', orgId: demoOrg(emulator).orgId }, headers({}));
      expectStatus(error ?? fail('expected an error'), status.UNAUTHENTICATED, 'authentication required');
    });
  });

  describe('the seven other RPCs', () => {
    it.each(UNIMPLEMENTED_BILLING_METHODS)('%s answers UNIMPLEMENTED naming the method', async (method) => {
      const rpc = (clients.billing as unknown as Record<string, Parameters<typeof call>[1]>)[handlerKey(method)];
      if (!rpc) throw new Error(`generated client lacks ${method}`);
      expectStatus(
        await failure(call(clients.billing, rpc, {}, bearer(token))),
        status.UNIMPLEMENTED,
        `method ${method} not implemented`,
      );
      expectStatus(await failure(call(clients.billing, rpc, {}, headers({}))), status.UNAUTHENTICATED);
    });
  });
});

function fail(message: string): never {
  throw new Error(message);
}

import { type Metadata, status } from '@grpc/grpc-js';
import { type EmulatorMethod, type RunningEmulator, startEmulator } from '../../../dev/emulator';
import {
  GetCurrentMonthUsageResponse,
  type PaymentMethodType,
  SourceType,
  type UsageCostType,
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

const MAIN_INVOICE = 'in_1Q5dwGLzZ8juh4cDOAY1alln';
const MiB = 1024 * 1024;

describe('emulator knobs', () => {
  let emulator: RunningEmulator;
  let clients: Clients;
  let token: string;
  let orgId: string;

  beforeAll(async () => {
    emulator = await startEmulator({ now: () => new Date('2026-11-20T12:00:00Z') });
    clients = connect(emulator);
    orgId = demoOrg(emulator).orgId;
  });
  afterAll(async () => {
    clients.close();
    await emulator.stop();
  });
  beforeEach(async () => {
    emulator.knobs.reset();
    token = await authenticate(clients, demoOrg(emulator));
  });

  const usage = (metadata: Metadata = bearer(token), options = {}) =>
    call(clients.billing, clients.billing.getCurrentMonthUsage, { orgId }, metadata, options);
  const pdf = (id = MAIN_INVOICE) => downloadPdf(clients, { id, orgId }, bearer(token));

  it('setLatency delays every call of that method until cleared', async () => {
    emulator.knobs.setLatency('GetCurrentMonthUsage', 150);
    const started = performance.now();
    await usage();
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expectStatus(await failure(usage(bearer(token), { deadline: Date.now() + 50 })), status.DEADLINE_EXCEEDED);
    emulator.knobs.setLatency('GetCurrentMonthUsage', 0);
    const again = performance.now();
    await usage();
    expect(performance.now() - again).toBeLessThan(140);
  });

  it('failNext fails the next calls before any other check, then lets calls through', async () => {
    emulator.knobs.failNext('GetCurrentMonthUsage', 2, status.UNAVAILABLE);
    expectStatus(await failure(usage(headers({}))), status.UNAVAILABLE, 'injected failure (UNAVAILABLE)');
    expectStatus(await failure(usage()), status.UNAVAILABLE);
    await expect(usage()).resolves.toBeDefined();

    emulator.knobs.failNext('Authenticate', 1, status.RESOURCE_EXHAUSTED, 'slow down');
    expectStatus(await failure(authenticate(clients, demoOrg(emulator))), status.RESOURCE_EXHAUSTED, 'slow down');
    await expect(authenticate(clients, demoOrg(emulator))).resolves.toBeTruthy();
  });

  it('cutPdfStreamAfter sends K chunks then fails the stream, with UNAVAILABLE or INTERNAL', async () => {
    emulator.knobs.setPdfSize(MAIN_INVOICE, MiB);
    emulator.knobs.cutPdfStreamAfter(3);
    const cut = await pdf();
    expect(cut.chunks).toHaveLength(3);
    expectStatus(cut.error ?? fail(), status.UNAVAILABLE, 'stream cut by the emulator after 3 chunks');

    emulator.knobs.cutPdfStreamAfter(1, status.INTERNAL);
    const internal = await pdf();
    expect(internal.chunks).toHaveLength(1);
    expectStatus(internal.error ?? fail(), status.INTERNAL);

    emulator.knobs.cutPdfStreamAfter(undefined);
    const whole = await pdf();
    expect(whole.error).toBeUndefined();
    expect(Buffer.concat(whole.chunks).length).toBe(MiB);
  });

  it('cutPdfStreamAfter past the end still fails the stream after the last chunk', async () => {
    emulator.knobs.cutPdfStreamAfter(1000);
    const { chunks, error } = await pdf();
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    expectStatus(error ?? fail(), status.UNAVAILABLE, `stream cut by the emulator after ${chunks.length} chunks`);
  });

  it('setPdfSize serves a 10 MiB PDF in 64 KiB chunks that reassemble into a valid PDF', async () => {
    const natural = await pdf();
    emulator.knobs.setPdfSize(MAIN_INVOICE, 10 * MiB);
    const { chunks, error } = await pdf();
    expect(error).toBeUndefined();
    expect(chunks).toHaveLength(160);
    expect(chunks.every((chunk) => chunk.length === 64 * 1024)).toBe(true);
    const padded = Buffer.concat(chunks);
    expect(padded.length).toBe(10 * MiB);
    const structure = inspectPdf(padded);
    expect(structure.texts).toEqual(inspectPdf(Buffer.concat(natural.chunks)).texts);
    expect(structure.pageCount).toBeGreaterThanOrEqual(2);

    emulator.knobs.setPdfSize(MAIN_INVOICE, undefined);
    expect(Buffer.concat((await pdf()).chunks).equals(Buffer.concat(natural.chunks))).toBe(true);
  });

  it('setPdfSize below what the invoice needs fails the stream with INTERNAL', async () => {
    emulator.knobs.setPdfSize(MAIN_INVOICE, 100);
    const { chunks, error } = await pdf();
    expect(chunks).toEqual([]);
    expectStatus(error ?? fail(), status.INTERNAL, /cannot render the invoice PDF: requested PDF size 100/);
  });

  it('expireAllTokens makes every issued token fail; new ones work', async () => {
    emulator.knobs.expireAllTokens();
    expectStatus(await failure(usage()), status.UNAUTHENTICATED, 'unauthenticated: token is expired');
    token = await authenticate(clients, demoOrg(emulator));
    await expect(usage()).resolves.toBeDefined();
  });

  it("revokeKey fails that key's existing tokens, and only that key's", async () => {
    const second = demoOrg(emulator, 1);
    const secondToken = await authenticate(clients, second);
    emulator.knobs.revokeKey(demoOrg(emulator).apiKeyId);
    expectStatus(await failure(usage()), status.UNAUTHENTICATED, 'unauthenticated: token has been revoked');
    await expect(
      call(clients.billing, clients.billing.getCurrentMonthUsage, { orgId: second.orgId }, bearer(secondToken)),
    ).resolves.toBeDefined();
  });

  it('counts calls (failed ones too) and keeps the headers of the last call', async () => {
    emulator.knobs.reset();
    await authenticate(clients, demoOrg(emulator));
    await usage();
    await failure(usage(headers({ 'x-request-id': 'req-42' })));
    expect(emulator.knobs.callCount('Authenticate')).toBe(1);
    expect(emulator.knobs.callCount('GetCurrentMonthUsage')).toBe(2);
    expect(emulator.knobs.callCount('GetInvoicePdf')).toBe(0);
    expect(emulator.knobs.lastMetadata('Authenticate')).not.toHaveProperty('authorization');
    expect(emulator.knobs.lastMetadata('GetCurrentMonthUsage')).toMatchObject({ 'x-request-id': 'req-42' });
    await usage();
    expect(emulator.knobs.lastMetadata('GetCurrentMonthUsage')).toMatchObject({ authorization: `Bearer ${token}` });
    expect(emulator.knobs.lastMetadata('GetInvoicePdf')).toBeUndefined();
  });

  it('setUsageResponse serves raw messages: unknown enum numbers and deprecated flat fields', async () => {
    const raw = GetCurrentMonthUsageResponse.fromPartial({
      startDate: new Date('2026-11-01T00:00:00Z'),
      resourceUsageCostsBySource: [
        {
          sourceType: 7 as SourceType,
          tierName: 'future',
          resourceUsageCosts: {
            usageCosts: [{ resourceType: 99 as UsageCostType, cost: 1.5 }],
            totalWithoutDiscount: 1.5,
          },
        },
      ],
      cloudStorageUsageCost: 3.25,
      totalUsageWithDiscount: 4.75,
    });
    emulator.knobs.setUsageResponse(orgId, raw);
    const served = await usage();
    expect(served).toEqual(raw);
    expect(served.resourceUsageCostsBySource[0]?.resourceUsageCosts?.usageCosts[0]?.resourceType).toBe(99);

    emulator.knobs.setUsageResponse(orgId, undefined);
    expect((await usage()).resourceUsageCostsBySource[0]?.sourceType).toBe(SourceType.SOURCE_TYPE_ORG);
  });

  it('setInvoicesResponse and setBillingInfoResponse override per org, and PDFs follow the invoices override', async () => {
    const invoice = {
      id: 'in_1QOverride000000000000000',
      invoiceDate: new Date('2026-10-01T00:00:00Z'),
      invoiceAmount: 12.34,
      status: 'some_future_status',
      dueDate: undefined,
      paidDate: undefined,
      lastPaymentFailureReason: 'fraud_suspected',
      lastPaymentFailureAt: undefined,
    };
    emulator.knobs.setInvoicesResponse(orgId, { outstandingBalance: 12.34, invoices: [invoice] });
    expect(await call(clients.billing, clients.billing.getInvoicesSummary, { orgId }, bearer(token))).toEqual({
      outstandingBalance: 12.34,
      invoices: [invoice],
    });
    const download = await pdf(invoice.id);
    expect(inspectPdf(Buffer.concat(download.chunks)).texts.join('\n')).toContain('$12.34');
    expect((await pdf(MAIN_INVOICE)).error?.code).toBe(status.NOT_FOUND);

    emulator.knobs.setBillingInfoResponse(orgId, { type: 42 as PaymentMethodType, billingEmail: '', billingTier: 'x' });
    const info = await call(clients.billing, clients.billing.getOrgBillingInformation, { orgId }, bearer(token));
    expect(info).toMatchObject({ type: 42 as PaymentMethodType, billingEmail: '', billingTier: 'x' });

    // Overrides replace data, not access rules.
    const second = demoOrg(emulator, 1);
    const secondToken = await authenticate(clients, second);
    expectStatus(
      await failure(call(clients.billing, clients.billing.getInvoicesSummary, { orgId }, bearer(secondToken))),
      status.PERMISSION_DENIED,
    );
  });

  it('reset clears every knob and counter', async () => {
    emulator.knobs.setLatency('GetCurrentMonthUsage', 5_000);
    emulator.knobs.failNext('GetInvoicesSummary', 5, status.INTERNAL);
    emulator.knobs.cutPdfStreamAfter(1);
    emulator.knobs.setPdfSize(MAIN_INVOICE, 2 * MiB);
    emulator.knobs.revokeKey(demoOrg(emulator).apiKeyId);
    emulator.knobs.setUsageResponse(orgId, GetCurrentMonthUsageResponse.fromPartial({ subtotal: 1 }));
    emulator.knobs.reset();
    expect(emulator.knobs.callCount('Authenticate')).toBe(0);
    expect((await usage()).subtotal).toBe(290.23);
    await expect(
      call(clients.billing, clients.billing.getInvoicesSummary, { orgId }, bearer(token)),
    ).resolves.toBeDefined();
    const whole = await pdf();
    expect(whole.error).toBeUndefined();
    expect(Buffer.concat(whole.chunks).length).toBeLessThan(MiB);
  });

  it('rejects nonsense knob values', () => {
    expect(() => emulator.knobs.setLatency('GetCurrentMonthUsage', -1)).toThrow(RangeError);
    expect(() => emulator.knobs.setLatency('Nope' as EmulatorMethod, 1)).toThrow(RangeError);
    expect(() => emulator.knobs.failNext('Authenticate', 1, status.OK)).toThrow(RangeError);
    expect(() => emulator.knobs.failNext('Authenticate', 1.5, status.INTERNAL)).toThrow(RangeError);
    expect(() => emulator.knobs.cutPdfStreamAfter(-1)).toThrow(RangeError);
  });
});

describe('emulator pdfChunkBytes option', () => {
  it('caps each chunk at the configured size', async () => {
    const emulator = await startEmulator({ pdfChunkBytes: 1000 });
    const clients = connect(emulator);
    try {
      const org = demoOrg(emulator);
      const token = await authenticate(clients, org);
      const { chunks, error } = await downloadPdf(clients, { id: MAIN_INVOICE, orgId: org.orgId }, bearer(token));
      expect(error).toBeUndefined();
      expect(chunks.length).toBeGreaterThan(2);
      expect(Math.max(...chunks.map((chunk) => chunk.length))).toBe(1000);
      expect(inspectPdf(Buffer.concat(chunks)).pageCount).toBeGreaterThanOrEqual(2);
    } finally {
      clients.close();
      await emulator.stop();
    }
  });
});

function fail(): never {
  throw new Error('expected the stream to fail');
}

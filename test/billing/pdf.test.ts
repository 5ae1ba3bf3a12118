import { createHash } from 'node:crypto';
import { credentials, Metadata, status } from '@grpc/grpc-js';
import type { ViamApiKey } from '../../src/billing/model';
import { looksLikeCompletePdf } from '../../src/billing/pdf';
import { AuthServiceClient } from '../../src/gen/proto/rpc/v1/auth';
import { BillingServiceClient } from '../../src/gen/viam/app/v1/billing';
import { type Harness, rejectionOf, startHarness } from './harness';

const INVOICE = 'in_1QR0EVXhHyLQcwkJgAyM90LI';
const MiB = 1024 * 1024;

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Fetches a PDF with the bare generated stubs, as an independent reference for the bytes served. */
async function fetchPdfRaw(target: string, key: ViamApiKey, orgId: string, invoiceId: string): Promise<Buffer> {
  const auth = new AuthServiceClient(target, credentials.createInsecure());
  const billing = new BillingServiceClient(target, credentials.createInsecure());
  try {
    const token = await new Promise<string>((resolve, reject) =>
      auth.authenticate({ entity: key.id, credentials: { type: 'api-key', payload: key.key } }, (error, response) =>
        error ? reject(error) : resolve(response.accessToken),
      ),
    );
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${token}`);
    const chunks: Buffer[] = [];
    for await (const message of billing.getInvoicePdf({ id: invoiceId, orgId }, metadata)) {
      chunks.push((message as { chunk: Buffer }).chunk);
    }
    return Buffer.concat(chunks);
  } finally {
    auth.close();
    billing.close();
  }
}

describe('looksLikeCompletePdf', () => {
  it('wants the header near the start and %%EOF near the end', () => {
    expect(looksLikeCompletePdf(Buffer.from('%PDF-1.4\n...\n%%EOF\n'))).toBe(true);
    expect(looksLikeCompletePdf(Buffer.from('%PDF-1.4\n...\nstartxref\n123\n'))).toBe(false);
    expect(looksLikeCompletePdf(Buffer.from('<html>%%EOF'))).toBe(false);
    expect(looksLikeCompletePdf(Buffer.alloc(0))).toBe(false);
  });

  it('reads the markers across parts, however the stream split them', () => {
    const middle = Buffer.alloc(5_000, 0x20);
    expect(
      looksLikeCompletePdf([
        Buffer.from('%P'),
        Buffer.from('DF-1.7\n'),
        middle,
        Buffer.from('%%E'),
        Buffer.from('OF\n'),
      ]),
    ).toBe(true);
    expect(looksLikeCompletePdf([middle, Buffer.from('%PDF-'), middle, Buffer.from('%%EOF')])).toBe(false);
    expect(looksLikeCompletePdf([Buffer.from('%PDF-1.7'), middle, Buffer.from('%%EOF'), middle])).toBe(false);
    expect(looksLikeCompletePdf([])).toBe(false);
  });
});

describe('invoice PDF download against the emulator', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ emulator: { pdfChunkBytes: 64 * 1024 } });
  });
  afterAll(async () => {
    await h.stop();
  });
  beforeEach(() => {
    h.emulator.knobs.reset();
    h.sleeps.length = 0;
  });

  it('assembles a 10 MiB PDF sent in 160 chunks byte for byte', async () => {
    h.emulator.knobs.setPdfSize(INVOICE, 10 * MiB);
    const reference = await fetchPdfRaw(h.emulator.url.replace('http://', ''), h.key, h.orgId, INVOICE);

    const pdf = await h.client.getInvoicePdf(h.key, h.orgId, INVOICE);

    expect(reference.length).toBe(10 * MiB);
    expect(pdf.length).toBe(10 * MiB);
    expect(sha256(pdf)).toBe(sha256(reference));
  });

  it('aborts a PDF over the size cap with too_large and does not retry it', async () => {
    const client = h.newClient({ maxPdfBytes: 1 * MiB });
    h.emulator.knobs.setPdfSize(INVOICE, 3 * MiB);

    const error = await rejectionOf(client.getInvoicePdf(h.key, h.orgId, INVOICE));

    expect(error).toMatchObject({ kind: 'too_large' });
    expect(error.message).toMatch(/larger than this app accepts \(1 MiB\)/);
    expect(h.emulator.knobs.callCount('GetInvoicePdf')).toBe(1);
  });

  it('accepts a PDF exactly at the cap', async () => {
    const client = h.newClient({ maxPdfBytes: 1 * MiB });
    h.emulator.knobs.setPdfSize(INVOICE, 1 * MiB);
    await expect(client.getInvoicePdf(h.key, h.orgId, INVOICE)).resolves.toHaveLength(1 * MiB);
  });

  it('fails a stream cut midway and never retries it once chunks arrived', async () => {
    h.emulator.knobs.setPdfSize(INVOICE, 1 * MiB);
    h.emulator.knobs.cutPdfStreamAfter(5);

    const error = await rejectionOf(h.client.getInvoicePdf(h.key, h.orgId, INVOICE));

    expect(error).toMatchObject({ kind: 'unavailable', grpcCode: status.UNAVAILABLE });
    expect(h.emulator.knobs.callCount('GetInvoicePdf')).toBe(1);
    expect(h.sleeps).toEqual([]);
  });

  it('reports an INTERNAL cut as internal', async () => {
    h.emulator.knobs.cutPdfStreamAfter(1, status.INTERNAL);
    const error = await rejectionOf(h.client.getInvoicePdf(h.key, h.orgId, INVOICE));
    expect(error).toMatchObject({ kind: 'internal', grpcCode: status.INTERNAL });
  });

  it('retries a stream that was unavailable before its first chunk', async () => {
    h.emulator.knobs.failNext('GetInvoicePdf', 1, status.UNAVAILABLE);

    const pdf = await h.client.getInvoicePdf(h.key, h.orgId, INVOICE);

    expect(looksLikeCompletePdf(pdf)).toBe(true);
    expect(h.emulator.knobs.callCount('GetInvoicePdf')).toBe(2);
    expect(h.sleeps).toHaveLength(1);
  });

  it('gives up on a stream that stays empty and unavailable', async () => {
    h.emulator.knobs.cutPdfStreamAfter(0);
    const error = await rejectionOf(h.client.getInvoicePdf(h.key, h.orgId, INVOICE));
    expect(error).toMatchObject({ kind: 'unavailable' });
    expect(h.emulator.knobs.callCount('GetInvoicePdf')).toBe(3);
  });
});

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  billingInfoResponse,
  type FixtureOrg,
  invoicesResponse,
  loadFixture,
  type RunningEmulator,
  startEmulator,
  usageResponse,
} from '../../../dev/emulator';
import { createTestCa } from '../../../dev/tls/test-ca';
import { UsageCostType } from '../../../src/gen/viam/app/v1/billing';
import { authenticate, bearer, type Clients, connect, downloadPdf } from './grpc-clients';

/**
 * Viam's own TypeScript SDK (0.61.1, protobuf-es v1, native gRPC through connect-node) reads the
 * emulator, and must decode exactly what the emulator holds. This is the proof that our proto
 * contract is wire-compatible with Viam's generated code.
 */

const SCRIPT = path.resolve(__dirname, '../../../dev/viam-sdk-interop/index.mjs');
const NOW = new Date('2026-11-20T12:00:00Z');

interface SdkResult {
  sdkKnowsPremiumModule: boolean;
  usage: {
    start: string;
    end: string;
    subtotal: number;
    sources: Array<{
      sourceType: number;
      tierName: string;
      discount: number;
      totalWithDiscount: number;
      totalWithoutDiscount: number;
      costs: Array<{ resourceType: number; resourceTypeName: string | null; cost: number }>;
    }>;
  };
  billingInfo: {
    type: number;
    billingEmail: string;
    billingTier: string | null;
    card: { brand: string; lastFourDigits: string } | null;
    bankAccount: {
      bankName: string;
      lastFourDigitsAccountNumber: string;
      routingNumber: string;
      accountType: string;
      verificationInfo: { arrivalDate: string; hostedVerificationPageUrl: string } | null;
    } | null;
  };
  invoices: {
    outstandingBalance: number;
    invoices: Array<{
      id: string;
      invoiceDate: string | null;
      invoiceAmount: number;
      status: string;
      dueDate: string | null;
      paidDate: string | null;
      hasPaymentFailureProperty: boolean;
      unknownFieldNumbers: number[];
    }>;
  };
  pdf: { bytes: number; sha256: string; header: string };
}

function runSdk(env: Record<string, string>): Promise<SdkResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [SCRIPT],
      { env: { ...process.env, ...env }, timeout: 15_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`SDK script failed: ${stderr || error.message}`));
        else resolve(JSON.parse(stdout) as SdkResult);
      },
    );
  });
}

const iso = (date: Date | undefined) => date?.toISOString() ?? null;

describe("interop with Viam's TypeScript SDK", () => {
  const fixture = loadFixture();
  let emulator: RunningEmulator;
  let clients: Clients;

  beforeAll(async () => {
    emulator = await startEmulator({ fixture, now: () => NOW });
    clients = connect(emulator);
  });
  afterAll(async () => {
    clients.close();
    await emulator.stop();
  });

  async function readThroughSdk(org: FixtureOrg, invoiceId: string) {
    const [key] = org.apiKeys;
    if (!key) throw new Error('org without a key');
    const sdk = await runSdk({
      VIAM_APP_URL: emulator.url,
      VIAM_API_KEY_ID: key.id,
      VIAM_API_KEY: key.key,
      VIAM_ORG_ID: org.orgId,
      VIAM_INVOICE_ID: invoiceId,
    });
    const token = await authenticate(clients, { apiKeyId: key.id, apiKey: key.key });
    const download = await downloadPdf(clients, { id: invoiceId, orgId: org.orgId }, bearer(token));
    if (download.error) throw download.error;
    return { sdk, pdf: Buffer.concat(download.chunks) };
  }

  function expectSameInvoices(sdk: SdkResult, org: FixtureOrg) {
    const expected = invoicesResponse(org, NOW);
    expect(sdk.invoices.outstandingBalance).toBe(expected.outstandingBalance);
    expect(sdk.invoices.invoices.map(({ hasPaymentFailureProperty, unknownFieldNumbers, ...rest }) => rest)).toEqual(
      expected.invoices.map((invoice) => ({
        id: invoice.id,
        invoiceDate: iso(invoice.invoiceDate),
        invoiceAmount: invoice.invoiceAmount,
        status: invoice.status,
        dueDate: iso(invoice.dueDate),
        paidDate: iso(invoice.paidDate),
      })),
    );
    // Fields 7-8 are newer than SDK 0.61.1: decoded without error, kept aside as unknown fields.
    sdk.invoices.invoices.forEach((invoice, i) => {
      const source = expected.invoices[i];
      const newer = [source?.lastPaymentFailureReason ? 7 : 0, source?.lastPaymentFailureAt ? 8 : 0].filter(Boolean);
      expect(invoice.unknownFieldNumbers).toEqual(newer);
      expect(invoice.hasPaymentFailureProperty).toBe(false);
    });
  }

  it('decodes the main org: usage with a newer cost type, card billing info, invoices and the PDF bytes', async () => {
    const org = fixture.orgs[0];
    if (!org) throw new Error('no main org');
    const invoiceId = 'in_1Q5dwGLzZ8juh4cDOAY1alln';
    const { sdk, pdf } = await readThroughSdk(org, invoiceId);

    const usage = usageResponse(org, NOW);
    expect(sdk.usage.start).toBe(iso(usage.startDate));
    expect(sdk.usage.end).toBe(iso(usage.endDate));
    expect(sdk.usage.subtotal).toBe(usage.subtotal);
    expect(sdk.usage.sources).toEqual(
      usage.resourceUsageCostsBySource.map((source) => ({
        sourceType: source.sourceType,
        tierName: source.tierName,
        discount: source.resourceUsageCosts?.discount,
        totalWithDiscount: source.resourceUsageCosts?.totalWithDiscount,
        totalWithoutDiscount: source.resourceUsageCosts?.totalWithoutDiscount,
        costs: source.resourceUsageCosts?.usageCosts.map((line) => ({
          resourceType: line.resourceType,
          // The SDK's enum names are ours without the prefix; it has none for 27.
          resourceTypeName:
            line.resourceType === UsageCostType.USAGE_COST_TYPE_PREMIUM_MODULE
              ? null
              : UsageCostType[line.resourceType]?.replace(/^USAGE_COST_TYPE_/, ''),
          cost: line.cost,
        })),
      })),
    );
    // PREMIUM_MODULE (27) postdates SDK 0.61.1: the number comes through as-is, with no enum name.
    expect(sdk.sdkKnowsPremiumModule).toBe(false);
    const premium = sdk.usage.sources.flatMap((source) => source.costs).filter((line) => line.resourceType === 27);
    expect(premium).toEqual([{ resourceType: 27, resourceTypeName: null, cost: 19 }]);
    expect(sdk.usage.sources[0]?.costs.find((line) => line.resourceType === 6)?.resourceTypeName).toBe(
      'BINARY_DATA_CLOUD_STORAGE',
    );

    const info = billingInfoResponse(org, NOW);
    expect(sdk.billingInfo).toEqual({
      type: info.type,
      billingEmail: 'billing@acme-robotics.example',
      billingTier: null,
      card: { brand: 'visa', lastFourDigits: '4242' },
      bankAccount: null,
    });

    expectSameInvoices(sdk, org);
    expect(sdk.invoices.invoices[0]?.unknownFieldNumbers).toEqual([7, 8]);

    expect(sdk.pdf).toEqual({
      bytes: pdf.length,
      sha256: createHash('sha256').update(pdf).digest('hex'),
      header: '%PDF-',
    });
    // The SDK authenticated without a bearer token, then sent the one it got.
    expect(emulator.knobs.lastMetadata('Authenticate')).not.toHaveProperty('authorization');
    expect(emulator.knobs.lastMetadata('GetInvoicePdf')?.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('decodes the second org: an unverified bank account (int64 arrival date) and a billing tier', async () => {
    const org = fixture.orgs[1];
    if (!org) throw new Error('no second org');
    const { sdk, pdf } = await readThroughSdk(org, 'in_1Q0LeY9bmyFFedvjT6MipoCU');
    const bank = billingInfoResponse(org, NOW).methodUsBankAccount;
    expect(sdk.billingInfo).toEqual({
      type: 2,
      billingEmail: 'accounts@rivet-farms.example',
      billingTier: 'Growth',
      card: null,
      bankAccount: {
        bankName: bank?.bankName,
        lastFourDigitsAccountNumber: bank?.lastFourDigitsAccountNumber,
        routingNumber: bank?.routingNumber,
        accountType: bank?.accountType,
        verificationInfo: {
          arrivalDate: String(bank?.verificationInfo?.arrivalDate),
          hostedVerificationPageUrl: bank?.verificationInfo?.hostedVerificationPageUrl,
        },
      },
    });
    expect(sdk.usage.subtotal).toBe(usageResponse(org, NOW).subtotal);
    expectSameInvoices(sdk, org);
    expect(sdk.pdf.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
  });
});

describe("Viam's TypeScript SDK against the emulator over TLS", () => {
  let emulator: RunningEmulator;
  let dataDir: string;
  let caFile: string;

  beforeAll(async () => {
    const ca = await createTestCa();
    dataDir = mkdtempSync(path.join(tmpdir(), 'interop-tls-'));
    caFile = ca.writeCa(dataDir);
    emulator = await startEmulator({
      tls: await ca.issue({ hosts: ['localhost'] }),
      urlHost: 'localhost',
      now: () => NOW,
    });
  });
  afterAll(async () => {
    await emulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads billing at https:// with the CA trusted through NODE_EXTRA_CA_CERTS alone, as `npm run emulator -- --tls` prints it', async () => {
    const org = loadFixture().orgs[0];
    const [key] = org?.apiKeys ?? [];
    if (!org || !key) throw new Error('the fixture has no org with a key');
    const env = {
      VIAM_APP_URL: emulator.url,
      VIAM_API_KEY_ID: key.id,
      VIAM_API_KEY: key.key,
      VIAM_ORG_ID: org.orgId,
      VIAM_INVOICE_ID: invoicesResponse(org, NOW).invoices[0]?.id ?? '',
    };
    expect(emulator.url).toMatch(/^https:\/\/localhost:\d+$/);
    const sdk = await runSdk({ ...env, NODE_EXTRA_CA_CERTS: caFile });
    expect(sdk.billingInfo.billingEmail).toBe(billingInfoResponse(org, NOW).billingEmail);
    expect(sdk.pdf.header).toBe('%PDF-');
    // The same SDK without the CA refuses the handshake: the trust really came from that one setting.
    await expect(runSdk(env)).rejects.toThrow(/certificate/i);
  });
});

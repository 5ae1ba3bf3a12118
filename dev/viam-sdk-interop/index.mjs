// Reads one org's billing through Viam's own TypeScript SDK (@viamrobotics/sdk 0.61.1) over native
// gRPC (Connect's HTTP/2 gRPC transport), and returns what the SDK decoded as plain JSON. The interop
// test runs it against the emulator to prove our proto contract matches Viam's generated code.
// ESM on purpose: the SDK's published build only loads through `import`.
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { createGrpcTransport } from '@connectrpc/connect-node';
import * as VIAM from '@viamrobotics/sdk';

const { billingApi } = VIAM;

const iso = (date) => (date instanceof Date ? date.toISOString() : null);
const timestamp = (value) => (value ? value.toDate().toISOString() : null);

/** Field numbers the SDK's (older) schema did not know; protobuf-es v1 keeps them aside, undecoded. */
function unknownFieldNumbers(messageClass, message) {
  return messageClass.runtime.bin.listUnknownFields(message).map((field) => field.no);
}

function plainUsage(usage) {
  return {
    start: iso(usage.start),
    end: iso(usage.end),
    subtotal: usage.subtotal,
    sources: (usage.resourceUsageCostsBySource ?? []).map((source) => ({
      sourceType: source.sourceType,
      tierName: source.tierName,
      discount: source.resourceUsageCosts?.discount ?? 0,
      totalWithDiscount: source.resourceUsageCosts?.totalWithDiscount ?? 0,
      totalWithoutDiscount: source.resourceUsageCosts?.totalWithoutDiscount ?? 0,
      costs: (source.resourceUsageCosts?.usageCosts ?? []).map((line) => ({
        resourceType: line.resourceType,
        // undefined (null in JSON) when the SDK's enum predates this number
        resourceTypeName: billingApi.UsageCostType[line.resourceType] ?? null,
        cost: line.cost,
      })),
    })),
  };
}

function plainBillingInfo(info) {
  const bank = info.methodUsBankAccount;
  return {
    type: info.type,
    billingEmail: info.billingEmail,
    billingTier: info.billingTier ?? null,
    card: info.method ? { brand: info.method.brand, lastFourDigits: info.method.lastFourDigits } : null,
    bankAccount: bank
      ? {
          bankName: bank.bankName,
          lastFourDigitsAccountNumber: bank.lastFourDigitsAccountNumber,
          routingNumber: bank.routingNumber,
          accountType: bank.accountType,
          verificationInfo: bank.verificationInfo
            ? {
                // int64: a bigint in protobuf-es v1
                arrivalDate: String(bank.verificationInfo.arrivalDate),
                hostedVerificationPageUrl: bank.verificationInfo.hostedVerificationPageUrl,
              }
            : null,
        }
      : null,
  };
}

function plainInvoices(summary) {
  return {
    outstandingBalance: summary.outstandingBalance,
    invoices: summary.invoices.map((invoice) => ({
      id: invoice.id,
      invoiceDate: timestamp(invoice.invoiceDate),
      invoiceAmount: invoice.invoiceAmount,
      status: invoice.status,
      dueDate: timestamp(invoice.dueDate),
      paidDate: timestamp(invoice.paidDate),
      hasPaymentFailureProperty: 'lastPaymentFailureReason' in invoice,
      unknownFieldNumbers: unknownFieldNumbers(billingApi.InvoiceSummary, invoice),
    })),
  };
}

/**
 * @param {{serviceHost: string, apiKeyId: string, apiKey: string, orgId: string, invoiceId: string}} options
 */
export async function readBillingWithViamSdk({ serviceHost, apiKeyId, apiKey, orgId, invoiceId }) {
  // The SDK's hook for its transport; Connect v1's gRPC transport speaks plain HTTP/2 gRPC like Viam's Go clients.
  globalThis.VIAM = { GRPC_TRANSPORT_FACTORY: (opts) => createGrpcTransport({ httpVersion: '2', ...opts }) };
  const client = await VIAM.createViamClient({
    serviceHost,
    credentials: { type: 'api-key', authEntity: apiKeyId, payload: apiKey },
  });
  const billing = client.billingClient;
  const usage = await billing.getCurrentMonthUsage(orgId);
  const billingInfo = await billing.getOrgBillingInformation(orgId);
  const invoices = await billing.getInvoicesSummary(orgId);
  const pdf = await billing.getInvoicePdf(invoiceId, orgId);
  return {
    sdkKnowsPremiumModule: billingApi.UsageCostType.PREMIUM_MODULE !== undefined,
    usage: plainUsage(usage),
    billingInfo: plainBillingInfo(billingInfo),
    invoices: plainInvoices(invoices),
    pdf: {
      bytes: pdf.length,
      sha256: createHash('sha256').update(pdf).digest('hex'),
      header: Buffer.from(pdf.subarray(0, 5)).toString('latin1'),
    },
  };
}

async function main() {
  const env = process.env;
  const missing = ['VIAM_APP_URL', 'VIAM_API_KEY_ID', 'VIAM_API_KEY', 'VIAM_ORG_ID', 'VIAM_INVOICE_ID'].filter(
    (name) => !env[name],
  );
  if (missing.length > 0) {
    process.stderr.write(`viam-sdk-interop: set ${missing.join(', ')}\n`);
    process.exit(2);
  }
  try {
    const result = await readBillingWithViamSdk({
      serviceHost: env.VIAM_APP_URL,
      apiKeyId: env.VIAM_API_KEY_ID,
      apiKey: env.VIAM_API_KEY,
      orgId: env.VIAM_ORG_ID,
      invoiceId: env.VIAM_INVOICE_ID,
    });
    // Exit explicitly: the HTTP/2 session of the transport would keep the process alive while idle.
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`, () => process.exit(0));
  } catch (error) {
    // ConnectError messages carry the code and server message, never the key (it only travels in the request).
    process.stderr.write(`viam-sdk-interop: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}

import { type handleUnaryCall, type Metadata, type ServerWritableStream, status } from '@grpc/grpc-js';
import type {
  BillingServiceServer,
  GetCurrentMonthUsageRequest,
  GetInvoicePdfRequest,
  GetInvoicePdfResponse,
  GetInvoicesSummaryRequest,
  GetOrgBillingInformationRequest,
} from '../../src/gen/viam/app/v1/billing';
import { authenticateCaller, authorizeOrg, beginCall, type EmulatorContext, reject, toStatus } from './call-gate';
import { renderInvoicePdf } from './invoice-pdf';
import {
  type BillingMethod,
  handlerKey,
  type ImplementedBillingMethod,
  UNIMPLEMENTED_BILLING_METHODS,
  type UnimplementedBillingMethod,
} from './methods';
import { billingInfoResponse, invoicesResponse, usageResponse } from './org-data';

/** viam.app.v1.BillingService: the four reads from the fixture (or overrides); the rest UNIMPLEMENTED. */
export function billingServiceHandlers(ctx: EmulatorContext): BillingServiceServer {
  const unary =
    <Req, Res>(method: BillingMethod, answer: (request: Req, metadata: Metadata) => Res): handleUnaryCall<Req, Res> =>
    (call, callback) => {
      beginCall(ctx, method, call.metadata)
        .then(() => answer(call.request, call.metadata))
        .then(
          (response) => callback(null, response),
          (error: unknown) => callback(toStatus(error)),
        );
    };

  const callerOrg = (metadata: Metadata, orgId: string) => authorizeOrg(ctx, authenticateCaller(ctx, metadata), orgId);

  const reads: Pick<BillingServiceServer, Uncapitalize<ImplementedBillingMethod>> = {
    getCurrentMonthUsage: unary('GetCurrentMonthUsage', (request: GetCurrentMonthUsageRequest, metadata) => {
      const org = callerOrg(metadata, request.orgId);
      const now = ctx.now();
      return ctx.knobs.usageOverride(org.orgId) ?? usageResponse(org, now, ctx.usageOf(org, now));
    }),
    getOrgBillingInformation: unary(
      'GetOrgBillingInformation',
      (request: GetOrgBillingInformationRequest, metadata) => {
        const org = callerOrg(metadata, request.orgId);
        return ctx.knobs.billingInfoOverride(org.orgId) ?? billingInfoResponse(org, ctx.now());
      },
    ),
    getInvoicesSummary: unary('GetInvoicesSummary', (request: GetInvoicesSummaryRequest, metadata) => {
      const org = callerOrg(metadata, request.orgId);
      return ctx.knobs.invoicesOverride(org.orgId) ?? invoicesResponse(org, ctx.now());
    }),
    getInvoicePdf: (call) => {
      streamInvoicePdf(ctx, call).catch((error: unknown) => call.emit('error', toStatus(error)));
    },
  };
  const others: Partial<Record<Uncapitalize<UnimplementedBillingMethod>, handleUnaryCall<unknown, never>>> = {};
  for (const method of UNIMPLEMENTED_BILLING_METHODS) {
    // Viam's server authenticates before routing, so an anonymous caller gets UNAUTHENTICATED here too.
    others[handlerKey(method)] = unary(method, (_request: unknown, metadata) => {
      authenticateCaller(ctx, metadata);
      throw reject(status.UNIMPLEMENTED, `method ${method} not implemented`);
    });
  }
  // The loop above filled every unimplemented key; the cast only restores what TypeScript cannot follow.
  return { ...(others as Pick<BillingServiceServer, Uncapitalize<UnimplementedBillingMethod>>), ...reads };
}

async function streamInvoicePdf(
  ctx: EmulatorContext,
  call: ServerWritableStream<GetInvoicePdfRequest, GetInvoicePdfResponse>,
): Promise<void> {
  await beginCall(ctx, 'GetInvoicePdf', call.metadata);
  const org = authorizeOrg(ctx, authenticateCaller(ctx, call.metadata), call.request.orgId);
  const now = ctx.now();
  const invoices = ctx.knobs.invoicesOverride(org.orgId) ?? invoicesResponse(org, now);
  const invoice = invoices.invoices.find((candidate) => candidate.id === call.request.id);
  if (!invoice) throw reject(status.NOT_FOUND, `invoice "${call.request.id}" not found`);

  let pdf: Buffer;
  try {
    pdf = renderInvoicePdf(
      {
        orgName: org.name,
        orgId: org.orgId,
        invoice,
        usageMix: usageResponse(org, now, ctx.usageOf(org, now)).resourceUsageCostsBySource.flatMap(
          (source) =>
            source.resourceUsageCosts?.usageCosts.map((line) => ({ costType: line.resourceType, cost: line.cost })) ??
            [],
        ),
        now,
      },
      { totalBytes: ctx.knobs.pdfSizeOf(invoice.id) },
    );
  } catch (error) {
    throw reject(status.INTERNAL, `cannot render the invoice PDF: ${error instanceof Error ? error.message : error}`);
  }

  // Even a small PDF arrives in at least two chunks, as a real download may.
  const chunkBytes = Math.max(1, Math.min(ctx.pdfChunkBytes, Math.ceil(pdf.length / 2)));
  const chunks: Buffer[] = [];
  for (let at = 0; at < pdf.length; at += chunkBytes) chunks.push(pdf.subarray(at, at + chunkBytes));

  const cut = ctx.knobs.pdfCutPlan();
  const toSend = cut ? chunks.slice(0, cut.afterChunks) : chunks;
  for (const chunk of toSend) {
    if (call.cancelled) return;
    if (!call.write({ chunk })) await drained(call);
  }
  if (cut) throw reject(cut.code, `stream cut by the emulator after ${toSend.length} chunks`);
  call.end();
}

/** Waits until grpc-js can take more data (or the client went away), so big PDFs respect flow control. */
function drained(call: ServerWritableStream<GetInvoicePdfRequest, GetInvoicePdfResponse>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      call.off('drain', done);
      call.off('cancelled', done);
      call.off('close', done);
      resolve();
    };
    call.on('drain', done);
    call.on('cancelled', done);
    call.on('close', done);
  });
}

import { type Metadata, status } from '@grpc/grpc-js';
import type {
  GetCurrentMonthUsageResponse,
  GetInvoicesSummaryResponse,
  GetOrgBillingInformationResponse,
} from '../../src/gen/viam/app/v1/billing';
import { EMULATOR_METHODS, type EmulatorMethod } from './methods';
import type { TokenAuthority } from './tokens';

/** Test controls of a running emulator. Everything but expireAllTokens() is undone by reset(). */
export interface EmulatorKnobs {
  /** Delay before answering every call of this method (0 clears). */
  setLatency(method: EmulatorMethod, ms: number): void;
  /** The next `count` calls of this method fail with `code` before any other check (0 clears). */
  failNext(method: EmulatorMethod, count: number, code: status, message?: string): void;
  /**
   * Every GetInvoicePdf stream sends at most `chunks` chunks, then fails with `code` (default
   * UNAVAILABLE), until cleared with undefined. A PDF with fewer chunks is sent whole, then fails.
   */
  cutPdfStreamAfter(chunks: number | undefined, code?: status.UNAVAILABLE | status.INTERNAL): void;
  /** Pads this invoice's PDF to exactly `bytes` (undefined restores the natural size). */
  setPdfSize(invoiceId: string, bytes: number | undefined): void;
  /** Every token issued so far fails UNAUTHENTICATED; Authenticate still issues new ones. */
  expireAllTokens(): void;
  /** Authenticate refuses this key and its tokens fail UNAUTHENTICATED, until reset(). */
  revokeKey(apiKeyId: string): void;
  /** Raw responses served instead of the fixture's for this org (undefined restores the fixture). */
  setUsageResponse(orgId: string, response: GetCurrentMonthUsageResponse | undefined): void;
  setInvoicesResponse(orgId: string, response: GetInvoicesSummaryResponse | undefined): void;
  setBillingInfoResponse(orgId: string, response: GetOrgBillingInformationResponse | undefined): void;
  /** Calls received, including the ones that failed. */
  callCount(method: EmulatorMethod): number;
  /** Request headers of the last call of this method (binary values in base64). */
  lastMetadata(method: EmulatorMethod): Record<string, string> | undefined;
  reset(): void;
}

export interface InjectedFailure {
  code: status;
  details: string;
}

export interface PdfCut {
  afterChunks: number;
  code: status;
}

function assertMethod(method: string): asserts method is EmulatorMethod {
  if (!(EMULATOR_METHODS as readonly string[]).includes(method)) throw new RangeError(`unknown method ${method}`);
}

function assertCount(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${what} must be a whole number >= 0`);
}

/** The knobs' state, plus the reads the services make on every call. */
export class KnobBoard implements EmulatorKnobs {
  private readonly latencies = new Map<EmulatorMethod, number>();
  private readonly failures = new Map<EmulatorMethod, InjectedFailure & { remaining: number }>();
  private pdfCut: PdfCut | undefined;
  private readonly pdfSizes = new Map<string, number>();
  private readonly revokedKeys = new Set<string>();
  private readonly usageOverrides = new Map<string, GetCurrentMonthUsageResponse>();
  private readonly invoicesOverrides = new Map<string, GetInvoicesSummaryResponse>();
  private readonly billingInfoOverrides = new Map<string, GetOrgBillingInformationResponse>();
  private readonly counts = new Map<EmulatorMethod, number>();
  private readonly metadata = new Map<EmulatorMethod, Record<string, string>>();

  constructor(private readonly tokens: TokenAuthority) {}

  setLatency(method: EmulatorMethod, ms: number): void {
    assertMethod(method);
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('latency must be a number of milliseconds >= 0');
    if (ms === 0) this.latencies.delete(method);
    else this.latencies.set(method, ms);
  }

  failNext(method: EmulatorMethod, count: number, code: status, message?: string): void {
    assertMethod(method);
    assertCount(count, 'count');
    if (code === status.OK) throw new RangeError('failNext needs an error code, not OK');
    if (count === 0) this.failures.delete(method);
    else
      this.failures.set(method, { remaining: count, code, details: message ?? `injected failure (${status[code]})` });
  }

  cutPdfStreamAfter(chunks: number | undefined, code: status.UNAVAILABLE | status.INTERNAL = status.UNAVAILABLE): void {
    if (chunks === undefined) {
      this.pdfCut = undefined;
      return;
    }
    assertCount(chunks, 'chunks');
    this.pdfCut = { afterChunks: chunks, code };
  }

  setPdfSize(invoiceId: string, bytes: number | undefined): void {
    if (bytes === undefined) {
      this.pdfSizes.delete(invoiceId);
      return;
    }
    assertCount(bytes, 'bytes');
    this.pdfSizes.set(invoiceId, bytes);
  }

  expireAllTokens(): void {
    this.tokens.expireAll();
  }

  revokeKey(apiKeyId: string): void {
    this.revokedKeys.add(apiKeyId);
  }

  setUsageResponse(orgId: string, response: GetCurrentMonthUsageResponse | undefined): void {
    setOrDelete(this.usageOverrides, orgId, response);
  }

  setInvoicesResponse(orgId: string, response: GetInvoicesSummaryResponse | undefined): void {
    setOrDelete(this.invoicesOverrides, orgId, response);
  }

  setBillingInfoResponse(orgId: string, response: GetOrgBillingInformationResponse | undefined): void {
    setOrDelete(this.billingInfoOverrides, orgId, response);
  }

  callCount(method: EmulatorMethod): number {
    return this.counts.get(method) ?? 0;
  }

  lastMetadata(method: EmulatorMethod): Record<string, string> | undefined {
    const seen = this.metadata.get(method);
    return seen && { ...seen };
  }

  reset(): void {
    this.latencies.clear();
    this.failures.clear();
    this.pdfCut = undefined;
    this.pdfSizes.clear();
    this.revokedKeys.clear();
    this.usageOverrides.clear();
    this.invoicesOverrides.clear();
    this.billingInfoOverrides.clear();
    this.counts.clear();
    this.metadata.clear();
  }

  // --- reads used by the services ---

  recordCall(method: EmulatorMethod, metadata: Metadata): void {
    this.counts.set(method, this.callCount(method) + 1);
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(metadata.getMap())) {
      headers[key] = typeof value === 'string' ? value : value.toString('base64');
    }
    this.metadata.set(method, headers);
  }

  latencyOf(method: EmulatorMethod): number {
    return this.latencies.get(method) ?? 0;
  }

  /** Consumes one injected failure for this method, if any is left. */
  takeFailure(method: EmulatorMethod): InjectedFailure | undefined {
    const failure = this.failures.get(method);
    if (!failure) return undefined;
    failure.remaining -= 1;
    if (failure.remaining <= 0) this.failures.delete(method);
    return { code: failure.code, details: failure.details };
  }

  pdfCutPlan(): PdfCut | undefined {
    return this.pdfCut;
  }

  pdfSizeOf(invoiceId: string): number | undefined {
    return this.pdfSizes.get(invoiceId);
  }

  isRevoked(apiKeyId: string): boolean {
    return this.revokedKeys.has(apiKeyId);
  }

  usageOverride(orgId: string): GetCurrentMonthUsageResponse | undefined {
    return this.usageOverrides.get(orgId);
  }

  invoicesOverride(orgId: string): GetInvoicesSummaryResponse | undefined {
    return this.invoicesOverrides.get(orgId);
  }

  billingInfoOverride(orgId: string): GetOrgBillingInformationResponse | undefined {
    return this.billingInfoOverrides.get(orgId);
  }
}

function setOrDelete<V>(map: Map<string, V>, key: string, value: V | undefined): void {
  if (value === undefined) map.delete(key);
  else map.set(key, value);
}

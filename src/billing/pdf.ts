import { type ClientReadableStream, Metadata, type ServiceError, status } from '@grpc/grpc-js';
import type { GetInvoicePdfResponse } from '../gen/viam/app/v1/billing';
import { isServiceError } from './grpc-errors';

/**
 * Reads GetInvoicePdf's server stream into one Buffer, in arrival order. The result is all or
 * nothing: a stream that fails part way, runs over the size cap or ends without a whole PDF gives a
 * failure, never the bytes received so far.
 */

export const DEFAULT_MAX_PDF_BYTES = 32 * 1024 * 1024;

export type PdfFailure =
  | { reason: 'status'; error: ServiceError; chunksReceived: number }
  | { reason: 'too_large'; bytesReceived: number }
  | { reason: 'not_a_pdf'; bytesReceived: number };

export class PdfStreamFailure extends Error {
  override readonly name = 'PdfStreamFailure';
  constructor(readonly failure: PdfFailure) {
    super(`invoice PDF stream failed: ${failure.reason}`);
  }

  /** Nothing arrived, so trying again cannot duplicate or mix parts of two streams. */
  get nothingReceived(): boolean {
    return this.failure.reason === 'status' && this.failure.chunksReceived === 0;
  }
}

/** Readers accept a header within the first KiB and the end marker within the last KiB. */
const MARKER_WINDOW = 1024;
const PDF_HEADER = Buffer.from('%PDF-', 'latin1');
const PDF_END = Buffer.from('%%EOF', 'latin1');

/**
 * A stream that Viam closed "OK" but short would otherwise pass as a file; a PDF names its own end,
 * so checking the markers catches truncation the status cannot.
 */
export function looksLikeCompletePdf(file: Buffer | readonly Buffer[]): boolean {
  const parts = Buffer.isBuffer(file) ? [file] : file;
  return edge(parts, 'head').includes(PDF_HEADER) && edge(parts, 'tail').includes(PDF_END);
}

/** The first or last KiB of the parts joined, without joining the rest. */
function edge(parts: readonly Buffer[], which: 'head' | 'tail'): Buffer {
  const picked: Buffer[] = [];
  let length = 0;
  const ordered = which === 'head' ? parts : [...parts].reverse();
  for (const part of ordered) {
    if (length >= MARKER_WINDOW) break;
    picked.push(part);
    length += part.length;
  }
  const joined = Buffer.concat(which === 'head' ? picked : picked.reverse());
  return which === 'head'
    ? joined.subarray(0, MARKER_WINDOW)
    : joined.subarray(Math.max(0, joined.length - MARKER_WINDOW));
}

/**
 * The PDF as the parts Viam streamed, in order. Kept apart rather than joined so a large file is held
 * once on its way to Slack; Buffer.concat(parts) gives the file.
 */
export function collectPdf(stream: ClientReadableStream<GetInvoicePdfResponse>, maxBytes: number): Promise<Buffer[]> {
  return new Promise<Buffer[]>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const fail = (failure: PdfFailure) => {
      if (settled) return;
      settled = true;
      chunks.length = 0;
      reject(new PdfStreamFailure(failure));
    };

    stream.on('data', (message: GetInvoicePdfResponse) => {
      if (settled) return;
      received += message.chunk.length;
      if (received > maxBytes) {
        fail({ reason: 'too_large', bytesReceived: received });
        // Stops the download at the server too; the CANCELLED status that follows is ignored.
        stream.cancel();
        return;
      }
      chunks.push(message.chunk);
    });
    stream.on('error', (error: unknown) => {
      if (isServiceError(error)) fail({ reason: 'status', error, chunksReceived: chunks.length });
      else fail({ reason: 'status', error: asServiceError(error), chunksReceived: chunks.length });
    });
    // Success needs both: an OK status, and 'end', which only follows once every buffered chunk was
    // delivered (grpc-js emits 'status' as soon as the trailers arrive, possibly before that).
    let statusOk = false;
    let ended = false;
    const finish = () => {
      if (settled || !statusOk || !ended) return;
      if (!looksLikeCompletePdf(chunks)) {
        fail({ reason: 'not_a_pdf', bytesReceived: received });
        return;
      }
      settled = true;
      resolve(chunks);
    };
    stream.on('status', (callStatus: { code: number }) => {
      statusOk = callStatus.code === status.OK;
      finish();
    });
    stream.on('end', () => {
      ended = true;
      finish();
    });
  });
}

/** grpc-js always emits ServiceErrors; this only guards against a surprise from a future version. */
function asServiceError(error: unknown): ServiceError {
  const details = error instanceof Error ? error.message : 'unknown stream error';
  return Object.assign(new Error(details), { code: status.UNKNOWN, details, metadata: new Metadata() });
}

import { type ServiceError, status } from '@grpc/grpc-js';
import { type BillingErrorKind, defaultMessageFor, ViamBillingError } from './errors';

/**
 * gRPC failures to ViamBillingError. The server's own text never reaches the user message (it can
 * hold internals, and in theory anything the server echoes); it goes to the log instead.
 */

export function isServiceError(value: unknown): value is ServiceError {
  return (
    value instanceof Error &&
    typeof (value as Partial<ServiceError>).code === 'number' &&
    'details' in (value as object)
  );
}

/** grpc-js reports an over-size message as RESOURCE_EXHAUSTED with this wording. */
const TOO_LARGE_DETAILS = /larger than max|message too large|exceeds.*(size|limit)/i;

/**
 * grpc-js reports a failed TLS handshake as UNAVAILABLE, with Node's reason in the details ("No
 * connection established. Last error: Error: certificate has expired"). Retrying cannot fix these, and
 * each has its own remedy, so each gets its own sentence.
 */
const TLS_FAILURES: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /certificate has expired|CERT_HAS_EXPIRED|certificate is not yet valid|CERT_NOT_YET_VALID/i,
    'The TLS certificate of the Viam endpoint has expired or is not valid yet; check this machine’s clock, then ask whoever runs the endpoint to renew it.',
  ],
  [
    /altnames|does not match certificate|ERR_TLS_CERT_ALTNAME_INVALID/i,
    'The TLS certificate of the Viam endpoint is for another host name; check the host in VIAM_APP_URL.',
  ],
  [
    /unable to verify|self[- ]signed certificate|unable to get (local )?issuer|UNABLE_TO_VERIFY|SELF_SIGNED|certificate signature failure/i,
    defaultMessageFor('tls'),
  ],
];

/** The user's sentence for a failed TLS handshake, or undefined when `details` is about something else. */
export function tlsFailureMessage(details: string): string | undefined {
  return TLS_FAILURES.find(([pattern]) => pattern.test(details))?.[1];
}

export function kindForStatus(code: status, details = ''): BillingErrorKind {
  if (code === status.UNAVAILABLE && tlsFailureMessage(details) !== undefined) return 'tls';
  switch (code) {
    case status.UNAUTHENTICATED:
      return 'unauthenticated';
    case status.PERMISSION_DENIED:
      return 'permission_denied';
    case status.NOT_FOUND:
      return 'not_found';
    case status.INVALID_ARGUMENT:
      return 'invalid_argument';
    case status.UNAVAILABLE:
      return 'unavailable';
    case status.DEADLINE_EXCEEDED:
      return 'deadline_exceeded';
    case status.RESOURCE_EXHAUSTED:
      return TOO_LARGE_DETAILS.test(details) ? 'too_large' : 'internal';
    default:
      return 'internal';
  }
}

export type CallPhase = 'authenticate' | 'billing';

export interface FailureContext {
  phase: CallPhase;
  /** Set for GetInvoicePdf so "not found" can say which invoice. */
  invoiceId?: string;
}

/**
 * A rejected Authenticate means the key itself is wrong or revoked (goutils answers PERMISSION_DENIED
 * "failed to authenticate" for a bad secret). No org is involved yet, so "not allowed to read billing
 * for that organization" would send the user looking in the wrong place: the fix is a new key.
 */
function kindFor(error: ServiceError, context: FailureContext): BillingErrorKind {
  const kind = kindForStatus(error.code, error.details);
  if (context.phase === 'authenticate' && (kind === 'permission_denied' || kind === 'unauthenticated')) {
    return 'unauthenticated';
  }
  return kind;
}

function messageFor(kind: BillingErrorKind, context: FailureContext, details: string): string {
  if (kind === 'tls') return tlsFailureMessage(details) ?? defaultMessageFor('tls');
  if (kind === 'not_found' && context.invoiceId !== undefined) {
    return `Viam has no invoice ${context.invoiceId} for this organization. Check the invoice ID and try again.`;
  }
  return defaultMessageFor(kind);
}

export function billingErrorFromStatus(error: ServiceError, context: FailureContext): ViamBillingError {
  const kind = kindFor(error, context);
  return new ViamBillingError(kind, messageFor(kind, context, error.details), error.code);
}

/** Anything that is not already a ViamBillingError becomes one, without carrying its text along. */
export function toBillingError(error: unknown, context: FailureContext): ViamBillingError {
  if (error instanceof ViamBillingError) return error;
  if (isServiceError(error)) return billingErrorFromStatus(error, context);
  return new ViamBillingError('internal');
}

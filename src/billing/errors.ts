/**
 * Every failure of the billing module crosses its boundary as a ViamBillingError: a kind that
 * callers branch on and a message that is safe to show a user as it is. Neither ever holds an
 * API key; details for operators go to the log, not into the message.
 */

export type BillingErrorKind =
  | 'unauthenticated'
  | 'permission_denied'
  | 'not_found'
  | 'invalid_argument'
  | 'unavailable'
  | 'deadline_exceeded'
  | 'too_large'
  | 'tls'
  | 'internal';

const DEFAULT_MESSAGES: Readonly<Record<BillingErrorKind, string>> = {
  unauthenticated: 'Viam did not accept the API key. An org owner must create a new key and reconnect it.',
  permission_denied:
    'This API key is not allowed to read billing for that organization. Billing needs an organization-owner key for the same org.',
  not_found: 'Viam has no such item for this organization. Check the ID and try again.',
  invalid_argument: 'The request was not valid. Check the IDs and try again.',
  unavailable: 'Viam could not be reached just now. Try again in a minute.',
  deadline_exceeded: 'Viam took too long to answer. Try again in a minute.',
  // Any read can be too large (a PDF has its own sentence), so this one names no file.
  too_large:
    'Viam’s answer is larger than this app accepts, so it cannot be shown. Tell your admin if it keeps happening.',
  tls: 'The TLS certificate of the Viam endpoint is not from a CA this machine trusts; if your network re-signs TLS, add its CA file with NODE_EXTRA_CA_CERTS.',
  internal: 'Something went wrong while talking to Viam. Try again, and tell your admin if it keeps happening.',
};

export class ViamBillingError extends Error {
  override readonly name = 'ViamBillingError';

  constructor(
    readonly kind: BillingErrorKind,
    /** Safe to show a user. */
    message: string = DEFAULT_MESSAGES[kind],
    /** gRPC status code when the error came from Viam; useful in logs and metrics. */
    readonly grpcCode?: number,
  ) {
    super(message);
  }

  /** Worth trying the same request again later without changing anything. */
  get transient(): boolean {
    return this.kind === 'unavailable' || this.kind === 'deadline_exceeded';
  }
}

export function defaultMessageFor(kind: BillingErrorKind): string {
  return DEFAULT_MESSAGES[kind];
}

export function isViamBillingError(value: unknown): value is ViamBillingError {
  return value instanceof ViamBillingError;
}

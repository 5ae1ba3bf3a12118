import { ViamBillingError } from './errors';
import type { ViamApiKey } from './model';

/**
 * Input checks made before any network call, so a typo never costs a round trip (or an Authenticate
 * with a bad key). Messages name the field and the expected form but never echo the value: a user
 * who pastes the key secret into the org ID field must not see it printed back into a channel.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Printable ASCII without spaces; real Viam secrets are 32 letters and digits. */
const SECRET = /^[\x21-\x7e]+$/;
const INVOICE_ID = /^[A-Za-z0-9_-]+$/;

export const API_KEY_SECRET_MIN_LENGTH = 8;
export const API_KEY_SECRET_MAX_LENGTH = 512;
export const INVOICE_ID_MAX_LENGTH = 128;

function invalid(message: string): ViamBillingError {
  return new ViamBillingError('invalid_argument', message);
}

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export function validateOrgId(orgId: unknown): string {
  if (!isUuid(orgId)) {
    throw invalid(
      'The organization ID must be a UUID like 1a2b3c4d-0000-4000-8000-123456789abc (see Settings in the Viam app).',
    );
  }
  return orgId;
}

export function validateApiKey(key: unknown): ViamApiKey {
  if (typeof key !== 'object' || key === null) throw invalid('An API key ID and API key are both required.');
  const { id, key: secret } = key as Partial<Record<keyof ViamApiKey, unknown>>;
  if (!isUuid(id)) {
    throw invalid('The API key ID must be a UUID like 1a2b3c4d-0000-4000-8000-123456789abc, as Viam shows it.');
  }
  if (
    typeof secret !== 'string' ||
    secret.length < API_KEY_SECRET_MIN_LENGTH ||
    secret.length > API_KEY_SECRET_MAX_LENGTH ||
    !SECRET.test(secret)
  ) {
    throw invalid(
      `The API key must be ${API_KEY_SECRET_MIN_LENGTH} to ${API_KEY_SECRET_MAX_LENGTH} characters with no spaces, exactly as Viam showed it when the key was created.`,
    );
  }
  return { id, key: secret };
}

export function validateInvoiceId(invoiceId: unknown): string {
  if (
    typeof invoiceId !== 'string' ||
    invoiceId.length === 0 ||
    invoiceId.length > INVOICE_ID_MAX_LENGTH ||
    !INVOICE_ID.test(invoiceId)
  ) {
    throw invalid(
      `The invoice ID must be 1 to ${INVOICE_ID_MAX_LENGTH} letters, digits, "_" or "-", like in_1Q5dwGLzZ8juh4cD.`,
    );
  }
  return invoiceId;
}

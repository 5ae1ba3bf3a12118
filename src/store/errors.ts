/**
 * Every failure of the store crosses its boundary as a StoreError: a kind callers branch on and a
 * message that is safe to show a user as it is. Neither ever holds a secret or a stored value;
 * details for operators (key names, driver errors) go to the log.
 */

export type StoreErrorKind =
  /** A saved value could not be read (bad JSON, failed validation, tampered ciphertext). */
  | 'corrupt'
  /** The backend could not be reached or failed the operation. */
  | 'unavailable'
  /** The caller passed something the store does not accept (bad label, STORE_URL, ENCRYPTION_KEY…). */
  | 'invalid'
  /** Sealed secrets were saved with a different ENCRYPTION_KEY than the one configured now. */
  | 'key_mismatch'
  /** The named item (an org label, usually) does not exist. */
  | 'not_found'
  /** The workspace uninstalled the app; nothing more is stored for it until it is installed again. */
  | 'gone'
  /** Other replicas kept changing the same value, and this change gave up after its retries. */
  | 'conflict';

const DEFAULT_MESSAGES: Readonly<Record<StoreErrorKind, string>> = {
  corrupt: 'Some saved settings could not be read. An admin can run `/viam-usage reset` to start over.',
  unavailable:
    'The app could not reach its storage just now. Try again in a minute, and tell your admin if it persists.',
  invalid: 'That value is not accepted. Check it and try again.',
  key_mismatch:
    'The saved Viam API keys were encrypted with a different ENCRYPTION_KEY than the one this app runs with now. An admin must restore the original ENCRYPTION_KEY, or reconnect the orgs.',
  not_found: 'There is no such item.',
  gone: 'The app was removed from this workspace, so nothing was saved. Install it again to start over.',
  conflict:
    'Too many changes to the same setting arrived at once, so this one was not saved. Nothing was lost; try again in a moment.',
};

export class StoreError extends Error {
  override readonly name = 'StoreError';

  constructor(
    readonly kind: StoreErrorKind,
    /** Safe to show a user. */
    message: string = DEFAULT_MESSAGES[kind],
  ) {
    super(message);
  }
}

export function isStoreError(value: unknown): value is StoreError {
  return value instanceof StoreError;
}

/**
 * What of a driver error may go to a log: its name, code and a bounded message. Driver error objects
 * can carry more (pg's `detail` quotes row values), so the object itself is never logged.
 */
export function describeCause(cause: unknown): { name: string; code?: string; message: string } {
  // Duck-typed: errors raised by Node's own modules may come from another realm and fail `instanceof Error`.
  if (cause !== null && typeof cause === 'object' && typeof (cause as { message?: unknown }).message === 'string') {
    const { name, code, message } = cause as { name?: unknown; code?: unknown; message: string };
    return {
      name: typeof name === 'string' ? name : 'Error',
      ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
      message: message.slice(0, 300),
    };
  }
  return { name: typeof cause, message: String(cause).slice(0, 300) };
}

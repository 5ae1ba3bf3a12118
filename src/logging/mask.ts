/**
 * Masks secrets in anything about to be logged, at any depth: nested objects, arrays, Maps, errors and
 * their causes. Three nets, because code should never log a secret but a foreign error or a request
 * body may carry one anyway:
 * - fields whose names say they hold a secret (`token`, `Authorization`, `refreshToken`, `sealedKey`…);
 * - the shapes secrets have in text: Slack tokens, bearer credentials, JWTs;
 * - the secret values this process was configured with (and any a caller names), wherever they appear.
 */

export const REDACTED = '[redacted]';

/** Names compared lowercased without `-` and `_`, so `refresh_token`, `refreshToken` and `Refresh-Token` all match. */
const SECRET_NAMES = new Set([
  'apikey',
  'key',
  'secret',
  'token',
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'encryptionkey',
  'payload',
  'password',
  'sealedkey',
  'sealed',
  'xslacksignature',
  'credentials',
]);
const SECRET_SUFFIXES = ['token', 'secret', 'password', 'apikey'];

export function isSecretFieldName(name: string): boolean {
  const normalized = name.toLowerCase().replace(/[-_]/g, '');
  return SECRET_NAMES.has(normalized) || SECRET_SUFFIXES.some((suffix) => normalized.endsWith(suffix));
}

/** Slack tokens (bot, user, refresh, app-level…), bearer credentials, JWTs, our sealed values (src/store/seal.ts). */
const SECRET_SHAPES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bv1\.[0-9a-f]{8}(?:\.[A-Za-z0-9_-]+){3}/g, REDACTED],
  [/\bx(?:ox[a-z]|app)-[A-Za-z0-9-]{6,}/g, REDACTED],
  [/\b(Bearer)\s+[A-Za-z0-9._~+/=-]{6,}/gi, `$1 ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
];

/** Known values shorter than this are not masked in text: they would hit ordinary words and numbers. */
const MIN_KNOWN_LENGTH = 8;
const MAX_DEPTH = 10;

export class SecretMask {
  private readonly known: readonly string[];

  constructor(knownValues: Iterable<string | undefined> = []) {
    const values = new Set<string>();
    for (const value of knownValues) if (value && value.length >= MIN_KNOWN_LENGTH) values.add(value);
    // Longest first, so a value that contains another is masked whole.
    this.known = [...values].sort((a, b) => b.length - a.length);
  }

  /** The same mask, also hiding `values`. */
  with(values: Iterable<string | undefined>): SecretMask {
    return new SecretMask([...this.known, ...values]);
  }

  text(text: string): string {
    let masked = text;
    for (const value of this.known) if (masked.includes(value)) masked = masked.split(value).join(REDACTED);
    for (const [shape, replacement] of SECRET_SHAPES) masked = masked.replace(shape, replacement);
    return masked;
  }

  /** A copy of `value` fit for a log line; `value` itself is left alone. */
  value(value: unknown): unknown {
    return this.walk(value, 0, new Set());
  }

  /** A log object: each field masked by name and content; an object without nested values is cheap. */
  fields(object: Record<string, unknown>): Record<string, unknown> {
    return this.walk(object, 0, new Set()) as Record<string, unknown>;
  }

  private walk(value: unknown, depth: number, path: Set<object>): unknown {
    if (typeof value === 'string') return this.text(value);
    if (typeof value !== 'object' || value === null) return value;
    if (value instanceof Date) return value;
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[${value.byteLength} bytes]`;
    if (path.has(value)) return '[circular]';
    if (depth >= MAX_DEPTH) return '[nested too deep]';
    path.add(value);
    try {
      if (value instanceof Error) return this.error(value, depth, path);
      if (Array.isArray(value)) return value.map((item) => this.walk(item, depth + 1, path));
      if (value instanceof Map)
        return this.entries(
          [...value.entries()].map(([k, v]) => [String(k), v]),
          depth,
          path,
        );
      if (value instanceof Set) return [...value].map((item) => this.walk(item, depth + 1, path));
      const json = (value as { toJSON?: unknown }).toJSON;
      if (typeof json === 'function') return this.walk(json.call(value), depth + 1, path);
      return this.entries(Object.entries(value), depth, path);
    } finally {
      path.delete(value);
    }
  }

  private entries(entries: Array<[string, unknown]>, depth: number, path: Set<object>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, field] of entries) {
      out[name] = isSecretFieldName(name) && field !== undefined ? REDACTED : this.walk(field, depth + 1, path);
    }
    return out;
  }

  /** An error as pino would print it (type, message, stack, own fields), masked, with its cause chain. */
  private error(error: Error, depth: number, path: Set<object>): Record<string, unknown> {
    const own = this.entries(
      Object.entries(error).filter(([name]) => name !== 'cause'),
      depth,
      path,
    );
    const out: Record<string, unknown> = {
      type: error.constructor?.name ?? error.name,
      message: this.text(error.message),
      stack: error.stack === undefined ? undefined : this.text(error.stack),
      ...own,
    };
    if (error.cause !== undefined) out.cause = this.walk(error.cause, depth + 1, path);
    if (error instanceof AggregateError) out.errors = this.walk(error.errors, depth + 1, path);
    return out;
  }
}

import pino from 'pino';

/** The logging surface modules depend on; pino's Logger satisfies it, and so does a test capture. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/**
 * Field names that may hold secrets anywhere in a log object. Redacting by name is the second line
 * of defence: code should not log secrets in the first place, and tests grep logs for test keys.
 */
const SECRET_FIELDS = [
  'apiKey',
  'api_key',
  'key',
  'secret',
  'token',
  'accessToken',
  'access_token',
  'botToken',
  'appToken',
  'authorization',
  'encryptionKey',
  'payload',
  'password',
];

export const REDACT_PATHS = [...SECRET_FIELDS, ...SECRET_FIELDS.map((field) => `*.${field}`)];

export function createLogger(
  options: { level?: string; name?: string } = {},
  destination?: pino.DestinationStream,
): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      name: options.name ?? 'viam-billing-slack',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    destination,
  );
}

/** A logger that drops everything, for tools and tests that do not care about logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/** An error's name only, for log lines: the messages of foreign errors could carry anything. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

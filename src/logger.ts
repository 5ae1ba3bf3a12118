import pino from 'pino';
import { SecretMask } from './logging/mask';

/** The logging surface modules depend on; pino's Logger satisfies it, and so does a test capture. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  level?: string;
  name?: string;
  /** Secret values this process holds (tokens, keys from its config), masked wherever they appear. */
  secrets?: Iterable<string | undefined>;
}

/**
 * Every argument of every log call, and every child's bindings, go through one SecretMask
 * (src/logging/mask.ts): secret-named fields, token shapes and the configured secret values are masked
 * at any depth, in errors and their causes too. Masking the arguments rather than pino's output keeps
 * the message pino takes from an error's own text masked as well.
 */
export function createLogger(options: LoggerOptions = {}, destination?: pino.DestinationStream): Logger {
  const mask = new SecretMask(options.secrets);
  const root = pino(
    {
      level: options.level ?? 'info',
      name: options.name ?? 'viam-billing-slack',
      // The mask has already turned errors into plain, masked objects.
      serializers: { err: (error: unknown) => error },
      hooks: {
        logMethod(args, method) {
          const [first, ...rest] = args as unknown[];
          const masked = rest.map((part) => mask.value(part));
          if (first instanceof Error) {
            const err = mask.value(first) as { message: string };
            return method.apply(this, [{ err }, ...(masked.length > 0 ? masked : [err.message])] as never);
          }
          return method.apply(this, [mask.value(first), ...masked] as never);
        },
      },
    },
    destination,
  );
  // pino applies no formatter to a child's bindings, and every child is created from its parent's
  // prototype chain; defining `child` on the root masks the bindings of every descendant.
  const child: (this: unknown, bindings: pino.Bindings, childOptions?: pino.ChildLoggerOptions) => unknown = root.child;
  Object.defineProperty(root, 'child', {
    value: function maskedChild(this: unknown, bindings: pino.Bindings, childOptions?: pino.ChildLoggerOptions) {
      return child.call(this, mask.fields(bindings), childOptions);
    },
  });
  return root;
}

/** A logger that drops everything, for tools and tests that do not care about logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/** An error's name only, for log lines: the messages of foreign errors could carry anything. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

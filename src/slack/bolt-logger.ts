import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../logger';

/** Lets Bolt and the Slack SDKs log through our structured logger (and its secret redaction). */
export function boltLogger(logger: Logger): BoltLogger {
  const log = logger.child({ component: 'bolt' });
  let level = LogLevel.INFO;
  const write =
    (method: 'debug' | 'info' | 'warn' | 'error') =>
    (...parts: unknown[]) => {
      const errors = parts.filter((part): part is Error => part instanceof Error);
      const text = parts
        .filter((part) => !(part instanceof Error))
        .map((part) => (typeof part === 'string' ? part : safeJson(part)))
        .join(' ');
      log[method](errors.length > 0 ? { err: errors[0] } : {}, text);
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

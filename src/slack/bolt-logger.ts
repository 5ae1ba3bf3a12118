import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../logger';
import { REDACTED, SecretMask } from '../logging/mask';

/**
 * Lets Bolt and the Slack SDKs log through our structured logger (and its secret redaction).
 * `hide` lists secret values masked in their text: the Web API client's debug lines include request
 * bodies with only token fields masked, and an oauth.v2.access body carries the client secret.
 * `hideStates` masks OAuth `state=` parameters, which Bolt logs with the install URL it generated.
 */
export function boltLogger(
  logger: Logger,
  options: { hide?: readonly string[]; hideStates?: boolean } = {},
): BoltLogger {
  const log = logger.child({ component: 'bolt' });
  const hidden = new SecretMask(options.hide);
  const mask = (text: string) => {
    const masked = hidden.text(text);
    return options.hideStates ? masked.replace(/([?&]state=)[^&\s"]+/g, `$1${REDACTED}`) : masked;
  };
  let level = LogLevel.INFO;
  const write =
    (method: 'debug' | 'info' | 'warn' | 'error') =>
    (...parts: unknown[]) => {
      const errors = parts.filter((part): part is Error => part instanceof Error);
      const text = parts
        .filter((part) => !(part instanceof Error))
        .map((part) => (typeof part === 'string' ? part : safeJson(part)))
        .join(' ');
      log[method](errors.length > 0 ? { err: errors[0] } : {}, mask(text));
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

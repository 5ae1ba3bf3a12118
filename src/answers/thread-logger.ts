import pino from 'pino';
import type { Logger } from '../logger';
import type { SecretMask } from '../logging/mask';
import type { FromAnswerThread, LogLevelName } from './messages';

const LEVEL_RANK: Record<string, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: 99,
};

/**
 * An answer thread's logger: each line goes to the acking thread, which writes it with the app's own
 * logger, so the app keeps one log stream (and tests one capture). Lines below the level are dropped
 * here, and everything is masked before it leaves: an error becomes a plain, masked object, which also
 * makes it cloneable.
 */
export function threadLogger(options: {
  level: string;
  mask: SecretMask;
  send: (message: FromAnswerThread) => void;
  bindings?: Record<string, unknown>;
}): Logger {
  const { mask, send } = options;
  const threshold = LEVEL_RANK[options.level] ?? LEVEL_RANK.info;
  const bindings = options.bindings ?? {};
  const line =
    (level: LogLevelName) =>
    (fields: object, message?: string): void => {
      if ((LEVEL_RANK[level] as number) < (threshold as number)) return;
      send({
        kind: 'log',
        level,
        bindings,
        fields: mask.value(fields),
        ...(message === undefined ? {} : { message }),
      });
    };
  return {
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    child: (more) => threadLogger({ ...options, bindings: { ...bindings, ...mask.fields(more) } }),
  };
}

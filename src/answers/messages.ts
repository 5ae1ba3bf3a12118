import type { CommandFields } from '../handlers/commands/answer-command';
import type { MetricEventName, RequestOutcome } from '../metrics/app-metrics';

/** What the acking thread sends an answer thread. */
export type ToAnswerThread = { kind: 'command'; id: number; fields: CommandFields } | { kind: 'close' };

/** What an answer thread sends back: its answers, and its log lines and counts for the app's one logger and /metrics. */
export type FromAnswerThread =
  | { kind: 'ready' }
  | { kind: 'failed-to-start'; sentence: string }
  | { kind: 'answered'; id: number; subcommand: string; outcome: RequestOutcome }
  | { kind: 'log'; level: LogLevelName; bindings: Record<string, unknown>; fields: unknown; message?: string }
  | { kind: 'metric'; name: MetricEventName; args: unknown[] };

export type LogLevelName = 'debug' | 'info' | 'warn' | 'error';

import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * The app's Prometheus metrics, one registry per app instance so several apps (tests, replicas in
 * one process) never share counters. Every label takes values from a closed set (subcommand kinds,
 * action names, gRPC code names, outcome words): never team IDs, user IDs or typed text, which would
 * make the series count grow without bound.
 */

/** How a user request ended: answered, refused for lack of rights, or failed. */
export type RequestOutcome = 'ok' | 'refused' | 'error';

/** What became of one scheduled digest occurrence; `late` ones were posted, after the lateness threshold. */
export type DigestResult = 'sent' | 'late' | 'failed' | 'skipped';

/** What became of one budget or invoice alert: posted in its channel, or failed (and left for the next check). */
export type AlertOutcome = 'posted' | 'failed';

/** What the app counts: everything of AppMetrics but the exposition, so an answer thread can pass its counts on. */
export type MetricEvents = Pick<AppMetrics, MetricEventName>;
export type MetricEventName = 'command' | 'action' | 'viamCall' | 'digest' | 'storeError' | 'alert' | 'alertCheck';
export const METRIC_EVENT_NAMES: readonly MetricEventName[] = [
  'command',
  'action',
  'viamCall',
  'digest',
  'storeError',
  'alert',
  'alertCheck',
];

/** One finished attempt of a Viam gRPC call. */
export interface ViamCallEvent {
  method: string;
  /** gRPC status name (`OK`, `UNAVAILABLE`…), or `NONE` when no status arrived (a client-side failure). */
  code: string;
  durationMs: number;
}

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export class AppMetrics {
  readonly registry = new Registry();
  private readonly commands: Counter<'subcommand' | 'outcome'>;
  private readonly actions: Counter<'action' | 'outcome'>;
  private readonly viamCalls: Histogram<'method' | 'code'>;
  private readonly digests: Counter<'result'>;
  private readonly storeErrors: Counter<'kind'>;
  private readonly alerts: Counter<'kind' | 'outcome'>;
  private readonly alertChecks: Counter<'outcome'>;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.commands = new Counter({
      name: 'viam_billing_commands_total',
      help: '/viam-usage commands handled, by subcommand and outcome (ok, refused, error).',
      labelNames: ['subcommand', 'outcome'],
      registers,
    });
    this.actions = new Counter({
      name: 'viam_billing_actions_total',
      help: 'Button presses and modal submissions handled, by action and outcome (ok, refused, error).',
      labelNames: ['action', 'outcome'],
      registers,
    });
    this.viamCalls = new Histogram({
      name: 'viam_billing_viam_call_duration_seconds',
      help: 'Duration of each attempt of a Viam billing gRPC call, by method and gRPC status code.',
      labelNames: ['method', 'code'],
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.digests = new Counter({
      name: 'viam_billing_digests_total',
      help: 'Scheduled weekly digests by result: sent (on time), late (posted late), failed, skipped.',
      labelNames: ['result'],
      registers,
    });
    this.storeErrors = new Counter({
      name: 'viam_billing_store_errors_total',
      help: 'Requests and digest runs that failed on the store, by store error kind.',
      labelNames: ['kind'],
      registers,
    });
    this.alerts = new Counter({
      name: 'viam_billing_alerts_total',
      help: 'Budget, invoice and anomaly alerts by kind (budget_50, budget_80, budget_100, budget_projected, invoice_new, invoice_overdue, invoice_payment_failed, anomaly) and outcome (posted, failed).',
      labelNames: ['kind', 'outcome'],
      registers,
    });
    this.alertChecks = new Counter({
      name: 'viam_billing_alert_checks_total',
      help: 'Scheduled alert checks of one connected org, by outcome: ok, or failed (Viam, the key, Slack or the store).',
      labelNames: ['outcome'],
      registers,
    });
    // Seen at 0 from the start, so dashboards and alerts need not wait for the first occurrence.
    for (const result of ['sent', 'late', 'failed', 'skipped'] as const) this.digests.inc({ result }, 0);
    this.storeErrors.inc({ kind: 'unavailable' }, 0);
    for (const outcome of ['ok', 'failed'] as const) this.alertChecks.inc({ outcome }, 0);
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  command(subcommand: string, outcome: RequestOutcome): void {
    this.commands.inc({ subcommand, outcome });
  }

  action(action: string, outcome: RequestOutcome): void {
    this.actions.inc({ action, outcome });
  }

  viamCall(event: ViamCallEvent): void {
    this.viamCalls.observe({ method: event.method, code: event.code }, event.durationMs / 1000);
  }

  digest(result: DigestResult): void {
    this.digests.inc({ result });
  }

  storeError(kind: string): void {
    this.storeErrors.inc({ kind });
  }

  /** `kind` is one of the alert runner's fixed kinds, never anything naming a workspace or org. */
  alert(kind: string, outcome: AlertOutcome): void {
    this.alerts.inc({ kind, outcome });
  }

  alertCheck(outcome: 'ok' | 'failed'): void {
    this.alertChecks.inc({ outcome });
  }

  /** The Prometheus text exposition of everything above plus the process metrics. */
  exposition(): Promise<string> {
    return this.registry.metrics();
  }
}

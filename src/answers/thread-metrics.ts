import { METRIC_EVENT_NAMES, type MetricEventName, type MetricEvents } from '../metrics/app-metrics';
import type { FromAnswerThread } from './messages';

/** An answer thread's counters: each count goes to the acking thread's AppMetrics, so /metrics sees all threads. */
export function threadMetrics(send: (message: FromAnswerThread) => void): MetricEvents {
  const forward =
    (name: MetricEventName) =>
    (...args: unknown[]): void =>
      send({ kind: 'metric', name, args });
  return Object.fromEntries(METRIC_EVENT_NAMES.map((name) => [name, forward(name)])) as unknown as MetricEvents;
}

/** Applies a count sent by an answer thread. */
export function applyMetric(metrics: MetricEvents, name: MetricEventName, args: unknown[]): void {
  if (!METRIC_EVENT_NAMES.includes(name)) return;
  (metrics[name] as (...values: unknown[]) => void)(...args);
}

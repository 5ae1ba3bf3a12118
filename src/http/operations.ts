import { type AppMetrics, METRICS_CONTENT_TYPE } from '../metrics/app-metrics';
import type { Readiness } from './readiness';
import { type RouteHandler, sendJson } from './server';

/**
 * The operations routes: `/healthz` says the process is up (for restarts), `/readyz` that it can
 * serve (for load balancers), `/metrics` is for Prometheus.
 */
export function operationsRoutes(deps: { readiness: Readiness; metrics: AppMetrics }): Record<string, RouteHandler> {
  return {
    '/healthz': (_req, res) => sendJson(res, 200, { status: 'ok' }),
    '/readyz': async (_req, res) => {
      const report = await deps.readiness.check();
      sendJson(res, report.ready ? 200 : 503, { status: report.ready ? 'ready' : 'not ready', ...report.checks });
    },
    '/metrics': async (_req, res) => {
      const text = await deps.metrics.exposition();
      res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE }).end(text);
    },
  };
}

/**
 * The digest runner with its chart queue, wired the one way the app posts digests: the chart queue (when charts
 * are on) draws with the spend chart's drawing, paces with the digests' pacer and carries bytes through the
 * app's outbound dispatcher. Used by src/services/compose.ts and by the digest benchmark's worker, so the bench
 * measures exactly this wiring.
 */
import type { Dispatcher } from 'undici';
import type { BillingClient } from '../billing';
import { DigestCharts } from '../digest/charts';
import type { ChannelPacer } from '../digest/pacing';
import { DigestRunner, type DigestRunnerOptions } from '../digest/runner';
import type { Logger } from '../logger';
import type { Store, WorkspaceRef } from '../store';
import { digestChartDrawing } from './spend-chart';

export interface DigestDeliveryParts {
  store: Store;
  billing: BillingClient;
  logger: Logger;
  now?: () => Date;
  clientFor: DigestRunnerOptions['clientFor'];
  budgetFor: (ref: WorkspaceRef, orgId: string) => Promise<number | undefined>;
  /** Shared with anything else posting to channels (alerts), so posts to one channel queue behind each other. */
  pacer: ChannelPacer;
  dispatcher: Dispatcher;
  /** Each posted digest's spend chart in its thread (DIGEST_CHARTS); the chart queue ticks on this pattern. */
  charts: false | { cronPattern?: string };
}

export function digestDelivery(parts: DigestDeliveryParts): { runner: DigestRunner; charts?: DigestCharts } {
  const { store, billing, logger, now, clientFor, budgetFor, pacer } = parts;
  const charts = parts.charts
    ? new DigestCharts({
        store,
        clientFor,
        dispatcher: parts.dispatcher,
        draw: digestChartDrawing({ store, budgetFor }),
        pacer,
        logger,
        ...(now ? { now } : {}),
        ...(parts.charts.cronPattern ? { cronPattern: parts.charts.cronPattern } : {}),
      })
    : undefined;
  const runner = new DigestRunner({
    store,
    billing,
    logger,
    ...(now ? { now } : {}),
    clientFor,
    budgetFor,
    pacer,
    ...(charts ? { charts } : {}),
  });
  return charts ? { runner, charts } : { runner };
}

/**
 * The spend chart as a Slack file: read the numbers (live usage, invoiced months, snapshot history, budget), draw
 * them (src/charts), and share the PNG into a channel, or into a digest's thread.
 */
import type { webApi } from '@slack/bolt';
import type { Dispatcher } from 'undici';
import type { BillingClient } from '../billing';
import type { UsageReport, ViamApiKey } from '../billing/model';
import { escapeMrkdwn, formatMoney, formatYearMonth } from '../blocks/format';
import { rasterize } from '../charts/rasterize';
import { type SpendSeries, spendSeries } from '../charts/series';
import { spendChartSvg } from '../charts/spend-chart-svg';
import {
  budgetWords,
  chartTitle,
  describeSpendChart,
  lastInvoicedWords,
  previousComparison,
  spanWords,
} from '../charts/words';
import type { ChartFile, ChartSubject } from '../digest/charts';
import { type UsageSnapshot, UsageSnapshots } from '../digest/snapshots';
import type { Logger } from '../logger';
import { isStoreError, type Store, type WorkspaceRef } from '../store';
import { type InvoicedMonth, invoicedMonths } from '../trends/invoiced-months';
import { fileSafeLabel, shareFileInChannel } from './file-upload';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Reaches back over the whole previous billing period, whatever its month's length. */
const HISTORY_BEFORE_PERIOD_MS = 32 * DAY_MS;

export interface SpendChartInput {
  orgLabel: string;
  usage: UsageReport;
  history: readonly UsageSnapshot[];
  /** The months Viam has billed, drawn while the snapshot history is short. */
  invoicedMonths?: readonly InvoicedMonth[];
  budget?: number;
  now: Date;
  /** Days are counted in this zone unless Viam's period is in whole UTC days. */
  timeZone: string;
}

export interface SpendChart {
  series: SpendSeries;
  svg: string;
  png: Buffer;
  /** `acme-spend-2026-11.png` */
  filename: string;
  /** `acme — spend, 1–26 Nov 2026` */
  title: string;
  /** The chart's numbers in sentences, for screen readers. */
  altText: string;
}

export async function renderSpendChart(input: SpendChartInput): Promise<SpendChart> {
  const series = spendSeries({
    usage: input.usage,
    history: input.history,
    now: input.now,
    timeZone: input.timeZone,
    ...(input.invoicedMonths ? { invoicedMonths: input.invoicedMonths } : {}),
    ...(input.budget === undefined ? {} : { budget: input.budget }),
  });
  const svg = spendChartSvg(series, input.orgLabel);
  return {
    series,
    svg,
    png: await rasterize(svg),
    filename: chartFileName(input.orgLabel, series),
    title: chartTitle(series, input.orgLabel),
    altText: describeSpendChart(series, input.orgLabel),
  };
}

/** `acme-spend-2026-11.png`: the org (file-name safe) and the month the period starts in. */
export function chartFileName(orgLabel: string, series: Pick<SpendSeries, 'periodStart' | 'zone'>): string {
  const safeLabel = fileSafeLabel(orgLabel);
  return `${safeLabel}-spend-${formatYearMonth(series.periodStart, series.zone)}.png`;
}

/** The message carrying the file: the headline numbers in one line (mrkdwn, label escaped). */
export function chartComment(chart: SpendChart, orgLabel: string, userId?: string): string {
  const { series } = chart;
  const lead = userId
    ? `<@${userId}> shared the Viam spend chart of ${escapeMrkdwn(orgLabel)}`
    : `Spend chart of ${escapeMrkdwn(orgLabel)}`;
  const sentences = [
    `${lead}: ${formatMoney(series.subtotal)} month to date (${spanWords(series)}).`,
    previousComparison(series) ?? lastInvoicedWords(series),
    budgetWords(series),
  ];
  return sentences.filter((sentence) => sentence !== undefined).join(' ');
}

/** The org's snapshots from the previous period on; an unreadable history draws this period's live figure only. */
export async function chartHistory(
  store: Store,
  ref: WorkspaceRef,
  orgId: string,
  usage: UsageReport,
  now: Date,
  logger: Logger,
): Promise<UsageSnapshot[]> {
  try {
    const since = new Date(usage.periodStart.getTime() - HISTORY_BEFORE_PERIOD_MS);
    return await new UsageSnapshots(store, () => now).history(ref, orgId, { since, until: now });
  } catch (error) {
    if (!isStoreError(error) || error.kind !== 'corrupt') throw error;
    logger.warn({ orgId }, 'usage snapshots unreadable; the chart shows the live figure only');
    return [];
  }
}

export interface ShareSpendChartInput {
  client: webApi.WebClient;
  /** Carries file bytes to Slack's upload host (the app's outbound dispatcher). */
  dispatcher: Dispatcher;
  billing: BillingClient;
  store: Store;
  budgetFor: (ref: WorkspaceRef, orgId: string) => Promise<number | undefined>;
  ref: WorkspaceRef;
  key: ViamApiKey;
  orgId: string;
  orgLabel: string;
  channelId: string;
  /** Who asked, named in the message that carries the file. */
  userId: string;
  timeZone: string;
  now: Date;
  logger: Logger;
}

/** `/viam-usage chart`: reads Viam and the store, draws, and shares the PNG into the channel. */
export async function shareSpendChart(input: ShareSpendChartInput): Promise<{ fileId?: string; filename: string }> {
  const [usage, invoices] = await Promise.all([
    input.billing.getCurrentMonthUsage(input.key, input.orgId),
    input.billing.getInvoicesSummary(input.key, input.orgId),
  ]);
  const [history, budget] = await Promise.all([
    chartHistory(input.store, input.ref, input.orgId, usage, input.now, input.logger),
    input.budgetFor(input.ref, input.orgId),
  ]);
  const chart = await renderSpendChart({
    orgLabel: input.orgLabel,
    usage,
    history,
    invoicedMonths: invoicedMonths(invoices, usage.periodStart),
    now: input.now,
    timeZone: input.timeZone,
    ...(budget === undefined ? {} : { budget }),
  });
  const shared = await shareFileInChannel({
    client: input.client,
    dispatcher: input.dispatcher,
    channelId: input.channelId,
    file: chart.png,
    filename: chart.filename,
    title: chart.title,
    initialComment: chartComment(chart, input.orgLabel, input.userId),
    altText: chart.altText,
    what: 'a spend chart',
    logger: input.logger,
  });
  return { ...shared, filename: chart.filename };
}

export interface DigestChartDeps {
  store: Store;
  budgetFor?: (ref: WorkspaceRef, orgId: string) => Promise<number | undefined>;
}

/** How the digest's chart queue (src/digest/charts.ts) draws a chart: the digest's usage, the org's history and budget. */
export function digestChartDrawing(deps: DigestChartDeps): (subject: ChartSubject) => Promise<ChartFile> {
  return async (subject) => {
    const [history, budget] = await Promise.all([
      chartHistory(deps.store, subject.ref, subject.orgId, subject.usage, subject.now, subject.logger),
      deps.budgetFor ? deps.budgetFor(subject.ref, subject.orgId) : undefined,
    ]);
    const chart = await renderSpendChart({
      orgLabel: subject.orgLabel,
      usage: subject.usage,
      history,
      ...(subject.invoicedMonths ? { invoicedMonths: subject.invoicedMonths } : {}),
      now: subject.now,
      timeZone: subject.timeZone,
      ...(budget === undefined ? {} : { budget }),
    });
    return {
      png: chart.png,
      filename: chart.filename,
      title: chart.title,
      comment: chartComment(chart, subject.orgLabel),
      altText: chart.altText,
    };
  };
}

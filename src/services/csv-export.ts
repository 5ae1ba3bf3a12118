import type { webApi } from '@slack/bolt';
import type { Dispatcher } from 'undici';
import type { BillingClient } from '../billing';
import type { ViamApiKey } from '../billing/model';
import { escapeMrkdwn } from '../blocks/format';
import { invoicesCsv } from '../export/invoices-csv';
import { usageCsv } from '../export/usage-csv';
import type { Logger } from '../logger';
import { fileSafeLabel, shareFileInChannel } from './file-upload';

export type CsvExportKind = 'usage' | 'invoices';

export interface CsvExportInput {
  client: webApi.WebClient;
  /** Carries file bytes to Slack's upload host (the app's outbound dispatcher). */
  dispatcher: Dispatcher;
  billing: BillingClient;
  key: ViamApiKey;
  orgId: string;
  orgLabel: string;
  what: CsvExportKind;
  /** Where the file goes: a channel, or the DM with the app. */
  channelId: string;
  /** Who asked, named in the message that carries the file. */
  userId: string;
  now: Date;
  logger: Logger;
}

/**
 * Reads the month's usage or the invoice list from Viam, writes it as CSV and shares it into the
 * channel as a Slack file. Viam is read in full before anything is uploaded, so a failure never
 * leaves a partial file in Slack.
 */
export async function shareCsvExport(input: CsvExportInput): Promise<{ fileId?: string; filename: string }> {
  const csv =
    input.what === 'usage'
      ? usageCsv(input.orgLabel, await input.billing.getCurrentMonthUsage(input.key, input.orgId))
      : invoicesCsv(input.orgLabel, await input.billing.getInvoicesSummary(input.key, input.orgId));
  const filename = csvFileName(input.what, input.orgLabel, input.now);
  const what = input.what === 'usage' ? 'usage' : 'invoices';
  const { fileId } = await shareFileInChannel({
    client: input.client,
    dispatcher: input.dispatcher,
    channelId: input.channelId,
    file: Buffer.from(csv, 'utf8'),
    filename,
    title: `Viam ${input.what === 'usage' ? 'month-to-date usage' : 'invoices'} · ${input.orgLabel}`,
    initialComment: `<@${input.userId}> exported the Viam ${what} of ${escapeMrkdwn(input.orgLabel)} as CSV.`,
    what: 'a CSV export',
    logger: input.logger,
  });
  return { fileId, filename };
}

/** `viam-usage-acme-2026-11-26.csv`: what, which org (file-name safe) and the UTC day of the export. */
export function csvFileName(what: CsvExportKind, orgLabel: string, now: Date): string {
  const safeLabel = fileSafeLabel(orgLabel);
  return `viam-${what}-${safeLabel}-${now.toISOString().slice(0, 10)}.csv`;
}

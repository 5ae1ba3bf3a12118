import type { webApi } from '@slack/bolt';
import type { Dispatcher } from 'undici';
import type { BillingClient } from '../billing';
import type { ViamApiKey } from '../billing/model';
import type { Logger } from '../logger';
import { billedMonthOf, invoicedMonthName } from '../trends/invoiced-months';
import { shareFileInChannel } from './file-upload';

export interface ShareInvoiceInput {
  client: webApi.WebClient;
  /** Carries file bytes to Slack's upload host (the app's outbound dispatcher). */
  dispatcher: Dispatcher;
  billing: BillingClient;
  key: ViamApiKey;
  orgId: string;
  orgLabel: string;
  invoiceId: string;
  /** Where to share: a channel, or the DM with the app. */
  channelId: string;
  /** Who asked, named in the message that carries the file. */
  userId: string;
  logger: Logger;
}

/**
 * Fetches the invoice PDF from Viam and shares it into the channel as a Slack file. The PDF is fetched
 * whole first, so a Viam failure never leaves half a file in Slack. Joining a public channel the
 * app is not in is left to shareFileInChannel.
 */
export async function shareInvoicePdf(input: ShareInvoiceInput): Promise<{ fileId?: string; filename: string }> {
  const [pdf, invoiceDate] = await Promise.all([
    input.billing.getInvoicePdfParts(input.key, input.orgId, input.invoiceId),
    invoiceDateOf(input),
  ]);
  const filename = invoiceFileName(input.invoiceId, invoiceDate);
  const billed = billedMonthOf(invoiceDate);
  const month = billed ? `${invoicedMonthName(billed, 'long')} usage` : undefined;
  const shared = await shareFileInChannel({
    client: input.client,
    dispatcher: input.dispatcher,
    channelId: input.channelId,
    file: pdf,
    filename,
    title: `Viam invoice ${input.invoiceId} · ${input.orgLabel}${month ? ` · ${month}` : ''}`,
    initialComment: `<@${input.userId}> shared the Viam invoice ${input.invoiceId} for ${input.orgLabel}.`,
    what: 'an invoice PDF',
    logger: input.logger,
  });
  return { ...shared, filename };
}

/** The invoice's date names the file; without it (summary unavailable) the file is named by ID alone. */
async function invoiceDateOf(input: ShareInvoiceInput): Promise<Date | undefined> {
  try {
    const summary = await input.billing.getInvoicesSummary(input.key, input.orgId);
    return summary.invoices.find((invoice) => invoice.id === input.invoiceId)?.date;
  } catch (error) {
    input.logger.debug({ err: error }, 'invoice date unavailable; naming the PDF by its ID');
    return undefined;
  }
}

/**
 * `viam-invoice-2026-10-in_123.pdf` for the invoice of October's usage. Viam dates an invoice at the end of
 * its billing period (a moment on the last day, or midnight starting the next one), so the month billed
 * is the month of the day before the invoice date.
 */
export function invoiceFileName(invoiceId: string, invoiceDate?: Date): string {
  const safeId = invoiceId.replace(/[^A-Za-z0-9_-]/g, '');
  const month = billedMonthOf(invoiceDate);
  if (!month) return `viam-invoice-${safeId}.pdf`;
  return `viam-invoice-${month.getUTCFullYear()}-${String(month.getUTCMonth() + 1).padStart(2, '0')}-${safeId}.pdf`;
}

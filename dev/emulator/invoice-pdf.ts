import type { InvoiceSummary } from '../../src/gen/viam/app/v1/billing';
import { isoDay } from './calendar';
import { costTypeLabel } from './cost-types';
import { billedPeriod } from './org-data';
import { PAGE_HEIGHT, type PdfText, textWidth, writePdf } from './pdf-writer';

/**
 * The invoice PDF the emulator serves: a header page (org, invoice id, period, dates, status)
 * with the priced lines, continued on further pages when needed, then a summary page with totals.
 */

export interface InvoiceLine {
  label: string;
  /** US dollars. */
  amount: number;
}

export interface InvoicePdfInput {
  orgName: string;
  orgId: string;
  invoice: InvoiceSummary;
  /** What the org spends on, by cost type; the invoice amount is split in these proportions. */
  usageMix: ReadonlyArray<{ costType: number; cost: number }>;
  /** Used when the invoice has no date (a raw override without one). */
  now: Date;
}

/**
 * Splits the invoice amount over the org's cost types in proportion to its usage, in whole cents
 * (largest remainder), so the printed lines always add up to the printed total.
 */
export function invoiceLines(amount: number, usageMix: InvoicePdfInput['usageMix']): InvoiceLine[] {
  const totalCents = Math.round(amount * 100);
  const weights = new Map<number, number>();
  for (const { costType, cost } of usageMix) weights.set(costType, (weights.get(costType) ?? 0) + cost);
  const entries = [...weights].filter(([, weight]) => weight > 0);
  const weightSum = entries.reduce((sum, [, weight]) => sum + weight, 0);
  if (entries.length === 0 || weightSum <= 0) return [{ label: 'Platform usage', amount: totalCents / 100 }];

  const shares = entries.map(([costType, weight]) => {
    const exact = (totalCents * weight) / weightSum;
    return { costType, cents: Math.floor(exact), remainder: exact - Math.floor(exact) };
  });
  let left = totalCents - shares.reduce((sum, share) => sum + share.cents, 0);
  for (const share of [...shares].sort((a, b) => b.remainder - a.remainder || a.costType - b.costType)) {
    if (left <= 0) break;
    share.cents += 1;
    left -= 1;
  }
  return shares.map((share) => ({ label: costTypeLabel(share.costType), amount: share.cents / 100 }));
}

export function formatDollars(amount: number): string {
  const [whole = '0', fraction = '00'] = Math.abs(amount).toFixed(2).split('.');
  return `${amount < 0 ? '-' : ''}$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
}

const LEFT = 72;
const RIGHT = 540;
const LEADING = 16;
const TOP = PAGE_HEIGHT - 60;
const BOTTOM = 90;

function rightAligned(text: string, y: number, size: number, font: PdfText['font'] = 'regular'): PdfText {
  return { x: RIGHT - textWidth(text, size), y, size, font, text };
}

export function renderInvoicePdf(input: InvoicePdfInput, options: { totalBytes?: number } = {}): Buffer {
  const { invoice } = input;
  const invoiceDate = invoice.invoiceDate ?? input.now;
  const period = billedPeriod(invoiceDate);
  const lines = invoiceLines(invoice.invoiceAmount, input.usageMix);

  const pages: PdfText[][] = [];
  let page: PdfText[] = [
    { x: LEFT, y: TOP, size: 22, font: 'bold', text: 'Invoice' },
    {
      x: LEFT,
      y: TOP - 18,
      size: 9,
      text: 'Demo document from the local Viam billing emulator. Not a real invoice.',
    },
  ];
  const fields: Array<[string, string]> = [
    ['Invoice ID', invoice.id],
    ['Organization', input.orgName],
    ['Organization ID', input.orgId],
    ['Billing period', `${isoDay(period.start)} to ${isoDay(period.end)}`],
    ['Invoice date', isoDay(invoiceDate)],
    ['Due date', invoice.dueDate ? isoDay(invoice.dueDate) : '-'],
    ['Status', invoice.status],
  ];
  let y = TOP - 56;
  for (const [name, value] of fields) {
    page.push({ x: LEFT, y, size: 11, font: 'bold', text: `${name}:` }, { x: LEFT + 110, y, size: 11, text: value });
    y -= LEADING;
  }
  y -= LEADING;
  const tableHeader = (at: number): PdfText[] => [
    { x: LEFT, y: at, size: 11, font: 'bold', text: 'Description' },
    rightAligned('Amount', at, 11, 'bold'),
  ];
  page.push(...tableHeader(y));
  y -= LEADING + 4;
  for (const line of lines) {
    if (y < BOTTOM) {
      pages.push(page);
      page = [{ x: LEFT, y: TOP, size: 14, font: 'bold', text: `Invoice ${invoice.id} (continued)` }];
      y = TOP - 2 * LEADING;
      page.push(...tableHeader(y));
      y -= LEADING + 4;
    }
    page.push({ x: LEFT, y, size: 11, text: line.label }, rightAligned(formatDollars(line.amount), y, 11));
    y -= LEADING;
  }
  pages.push(page);

  const paid = invoice.paidDate !== undefined;
  const summary: Array<[string, string]> = [
    ['Total', formatDollars(invoice.invoiceAmount)],
    ['Amount due', formatDollars(paid ? 0 : invoice.invoiceAmount)],
    ['Paid on', invoice.paidDate ? isoDay(invoice.paidDate) : 'not paid'],
  ];
  if (invoice.lastPaymentFailureReason) {
    const at = invoice.lastPaymentFailureAt ? ` on ${isoDay(invoice.lastPaymentFailureAt)}` : '';
    summary.push(['Last payment failure', `${invoice.lastPaymentFailureReason}${at}`]);
  }
  const summaryPage: PdfText[] = [{ x: LEFT, y: TOP, size: 18, font: 'bold', text: 'Summary' }];
  y = TOP - 2 * LEADING;
  for (const [name, value] of summary) {
    summaryPage.push({ x: LEFT, y, size: 12, font: 'bold', text: name }, rightAligned(value, y, 12));
    y -= LEADING + 2;
  }
  summaryPage.push({
    x: LEFT,
    y: y - LEADING,
    size: 9,
    text: `Questions about this demo invoice? It was generated for ${input.orgName} by the emulator.`,
  });
  pages.push(summaryPage);

  pages.forEach((texts, index) => {
    texts.push({ x: LEFT, y: 40, size: 9, text: `${invoice.id} - page ${index + 1} of ${pages.length}` });
  });
  return writePdf(
    { title: `Invoice ${invoice.id} - ${input.orgName}`, creationDate: invoiceDate, pages },
    { totalBytes: options.totalBytes },
  );
}

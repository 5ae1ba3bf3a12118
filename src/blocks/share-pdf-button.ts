/** The "Share PDF" button of an invoice, the same wherever an invoice is listed (invoices, digests). */
import type { Invoice } from '../billing/model';
import { button } from './build';
import { formatDate, isValidDate } from './format';
import { ACTION_SHARE_INVOICE_PDF, encodeButtonValue } from './ids';

/** Undefined when the invoice has no ID or its value would not fit Slack's limit: the row then shows no button. */
export function sharePdfButton(invoice: Pick<Invoice, 'id' | 'date'>, orgLabel: string, timeZone: string) {
  const value = invoice.id ? encodeButtonValue({ org: orgLabel, invoice: invoice.id }) : undefined;
  if (value === undefined) return undefined;
  return button({
    text: 'Share PDF',
    actionId: ACTION_SHARE_INVOICE_PDF,
    value,
    accessibilityLabel: isValidDate(invoice.date)
      ? `Share the PDF of the ${formatDate(invoice.date, timeZone)} invoice`
      : 'Share the PDF of this invoice',
  });
}

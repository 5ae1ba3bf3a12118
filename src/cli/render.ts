/** Human-readable terminal output for the operator CLI. */
import type { BillingInfo, InvoicesSummary, UsageReport } from '../billing/model';
import { formatDate, formatMoney } from '../blocks/format';
import { invoiceState, paymentFailureText } from '../blocks/invoice-words';
import { rankedCategories } from '../blocks/totals';
import { renderTable } from './table';

const UTC = 'UTC';

export function renderUsage(report: UsageReport): string {
  const period = `${formatDate(report.periodStart, UTC)} – ${formatDate(report.periodEnd, UTC)}`;
  const rows: string[][] = [];
  for (const source of report.sources) {
    const name = source.kind === 'fragment' ? `Fragment tier ${source.tierName || '(unnamed)'}` : 'Organization';
    for (const line of source.lines) {
      if (line.amount !== 0) rows.push([name, categoryName(line.category), line.label, formatMoney(line.amount)]);
    }
    if (source.discount !== 0) rows.push([name, '', 'Discount', formatMoney(-Math.abs(source.discount))]);
  }
  const categories = rankedCategories(report)
    .map((total) => `  ${total.label.padEnd(14)} ${formatMoney(total.amount).padStart(12)}`)
    .join('\n');
  return [
    `Usage for org ${report.orgId}, ${period} (UTC)`,
    '',
    rows.length > 0
      ? renderTable(
          [{ title: 'Source' }, { title: 'Category' }, { title: 'Line' }, { title: 'Cost', align: 'right' }],
          rows,
        )
      : 'No usage yet this month.',
    '',
    'By category:',
    categories || '  (none)',
    '',
    `Month-to-date subtotal: ${formatMoney(report.subtotal)}`,
  ].join('\n');
}

function categoryName(category: string): string {
  return category.replace('_', ' ').replace(/^./, (first) => first.toUpperCase());
}

export function renderInvoices(summary: InvoicesSummary, now: Date): string {
  const rows = summary.invoices.map((invoice) => {
    const state = invoiceState(invoice, now);
    const failure = invoice.paymentFailure ? paymentFailureText(invoice.paymentFailure.reason) : '';
    return [
      invoice.id,
      invoice.date ? formatDate(invoice.date, UTC) : '',
      formatMoney(invoice.amount),
      state.word,
      invoice.dueDate ? formatDate(invoice.dueDate, UTC) : '',
      invoice.paidDate ? formatDate(invoice.paidDate, UTC) : '',
      failure,
    ];
  });
  return [
    `Outstanding balance: ${formatMoney(summary.outstandingBalance)}`,
    '',
    rows.length > 0
      ? renderTable(
          [
            { title: 'Invoice' },
            { title: 'Date' },
            { title: 'Amount', align: 'right' },
            { title: 'Status' },
            { title: 'Due' },
            { title: 'Paid' },
            { title: 'Payment problem' },
          ],
          rows,
        )
      : 'No invoices yet.',
  ].join('\n');
}

export function renderBillingInfo(info: BillingInfo): string {
  const method = info.paymentMethod;
  const payment =
    method.kind === 'card'
      ? `${method.brand || 'Card'} ending in ${method.lastFour}`
      : method.kind === 'bank_account'
        ? `${method.bankName || 'Bank'} ${method.accountType} account ending in ${method.lastFour}${
            method.verificationUrl ? ` (needs verification: ${method.verificationUrl})` : ''
          }`
        : 'none on file';
  return [
    `Payment method: ${payment}`,
    `Billing email:  ${info.billingEmail || '(not set)'}`,
    ...(info.tier ? [`Billing tier:   ${info.tier}`] : []),
  ].join('\n');
}

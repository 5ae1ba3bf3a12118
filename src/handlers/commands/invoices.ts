import { renderInvoices } from '../../blocks/invoices';
import { openOrgForViewing } from '../org-access';
import type { SlackRequest } from '../request';

/** `/viam-usage invoices [--all]`: balance and recent invoices, each with a Share PDF button. */
export async function showInvoices(
  request: SlackRequest,
  options: { org?: string; share?: boolean; all?: boolean },
): Promise<void> {
  const opened = await openOrgForViewing(request, options.org);
  if (!opened) return;
  const summary = await request.billing.getInvoicesSummary(opened.key, opened.org.orgId);
  await request.reply(renderInvoices(summary, opened.render, { all: options.all }), { share: options.share });
}

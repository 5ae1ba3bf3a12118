import { renderUsage } from '../../blocks/usage';
import { openOrgForViewing } from '../org-access';
import type { SlackRequest } from '../request';

/** `/viam-usage usage`: the month's breakdown by source, category and line. */
export async function showUsage(request: SlackRequest, options: { org?: string; share?: boolean }): Promise<void> {
  const opened = await openOrgForViewing(request, options.org);
  if (!opened) return;
  const report = await request.billing.getCurrentMonthUsage(opened.key, opened.org.orgId);
  await request.reply(renderUsage(report, opened.render), { share: options.share });
}

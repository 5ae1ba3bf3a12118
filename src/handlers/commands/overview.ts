import { renderOverview } from '../../blocks/overview';
import { loadOverview } from '../../services/overview';
import { openOrgForViewing } from '../org-access';
import type { SlackRequest } from '../request';

/** `/viam-usage`: month-to-date spend, what is owed and how the org pays; the three reads run in parallel. */
export async function showOverview(request: SlackRequest, options: { org?: string; share?: boolean }): Promise<void> {
  const opened = await openOrgForViewing(request, options.org);
  if (!opened) return;
  const data = await loadOverview(request.billing, opened.key, opened.org.orgId, request.logger);
  await request.reply(renderOverview(data, opened.render), { share: options.share });
}

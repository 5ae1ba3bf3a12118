import { renderCompare } from '../../blocks/compare';
import { loadComparison } from '../../services/compare';
import { openOrgForViewing } from '../org-access';
import type { SlackRequest } from '../request';

/** `/viam-usage compare`: this period against the same point of the last, and the last six invoices. */
export async function showComparison(request: SlackRequest, options: { org?: string; share?: boolean }): Promise<void> {
  const opened = await openOrgForViewing(request, options.org);
  if (!opened) return;
  const data = await loadComparison({
    store: request.services.store,
    billing: request.billing,
    ref: request.ref,
    orgId: opened.org.orgId,
    key: opened.key,
    now: opened.render.now,
    logger: request.logger,
  });
  await request.reply(renderCompare(data, opened.render), { share: options.share });
}

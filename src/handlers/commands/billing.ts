import { renderBillingInfo } from '../../blocks/billing';
import { openOrgForViewing } from '../org-access';
import type { SlackRequest } from '../request';

/** `/viam-usage billing`: payment method, billing email and tier. */
export async function showBillingInfo(
  request: SlackRequest,
  options: { org?: string; share?: boolean },
): Promise<void> {
  const opened = await openOrgForViewing(request, options.org);
  if (!opened) return;
  const info = await request.billing.getOrgBillingInformation(opened.key, opened.org.orgId);
  await request.reply(renderBillingInfo(info, opened.render), { share: options.share });
}

import { notConnectedNotice } from '../../blocks/notices';
import { renderOrgs } from '../../blocks/orgs';
import { defaultOrg } from '../../store';
import { openOrgForViewing } from '../org-access';
import type { SlackRequest } from '../request';

/** `/viam-usage orgs`: the connected orgs, with key IDs masked. */
export async function listOrgs(request: SlackRequest, options: { share?: boolean }): Promise<void> {
  const opened = await openOrgForViewing(request, undefined);
  if (!opened) return;
  const { workspace } = opened;
  if (workspace.orgs.length === 0) return request.reply(notConnectedNotice());
  const defaultLabel = defaultOrg(workspace)?.label;
  const rows = workspace.orgs.map((org) => ({
    label: org.label,
    orgId: org.orgId,
    apiKeyId: org.apiKeyId,
    isDefault: org.label === defaultLabel,
    connectedBy: org.connectedBy,
    connectedAt: new Date(org.connectedAt),
  }));
  await request.reply(renderOrgs(rows, { timeZone: opened.render.timeZone }), { share: options.share });
}

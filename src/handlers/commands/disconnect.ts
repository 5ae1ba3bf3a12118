import { inlineCode } from '../../blocks/format';
import { infoNotice } from '../../blocks/notices';
import { disconnectConnectedOrg } from '../../services/disconnect-org';
import { findOrg } from '../../store';
import { authorizeManagement } from '../org-access';
import type { SlackRequest } from '../request';

/** `/viam-usage disconnect [label]`: forgets an org and its key. */
export async function disconnectOrg(request: SlackRequest, options: { label?: string }): Promise<void> {
  const allowed = await authorizeManagement(request);
  if (!allowed) return;
  const { workspace } = allowed;
  const labels = workspace.orgs.map((org) => inlineCode(org.label)).join(', ');
  if (workspace.orgs.length === 0) {
    await request.reply(infoNotice('No Viam org is connected, so there is nothing to disconnect.'));
    return;
  }
  if (options.label === undefined && workspace.orgs.length > 1) {
    await request.reply(
      infoNotice(`Say which org to disconnect, e.g. \`/viam-usage disconnect <label>\`. Connected: ${labels}.`),
    );
    return;
  }
  const org = options.label === undefined ? workspace.orgs[0] : findOrg(workspace, options.label);
  if (!org) {
    await request.reply(
      infoNotice(`No connected org is called ${inlineCode(options.label ?? '')}. Connected: ${labels}.`),
    );
    return;
  }
  await disconnectConnectedOrg(request, org);
  await request.reply(
    infoNotice(
      `Disconnected ${inlineCode(org.label)}. Its API key was deleted from this app; it still exists in Viam until an org owner deletes it there.`,
    ),
  );
}

import { userMention } from '../../blocks/mentions';
import { infoNotice } from '../../blocks/notices';
import { grantViewAccess, revokeViewAccess } from '../../services/access-settings';
import { authorizeManagement, peopleToAsk } from '../org-access';
import type { SlackRequest } from '../request';

type AccessCommand = { action: 'list' } | { action: 'add' | 'remove'; userId: string };

/** `/viam-usage access add|remove @user` and `access list`: who besides admins and connectors may see billing. */
export async function manageAccess(request: SlackRequest, command: AccessCommand): Promise<void> {
  const allowed = await authorizeManagement(request);
  if (!allowed) return;
  if (command.action === 'list') {
    const viewers = allowed.workspace.viewers.flatMap((id) => userMention(id) ?? []);
    const connectors = peopleToAsk(request, [...new Set(allowed.workspace.orgs.map((org) => org.connectedBy))]).flatMap(
      (id) => userMention(id) ?? [],
    );
    const granted = viewers.length > 0 ? viewers.join(', ') : 'nobody yet';
    const by = connectors.length > 0 ? `, whoever connected an org (${connectors.join(', ')})` : '';
    await request.reply(
      infoNotice(
        `Viam billing is visible to workspace admins${by}, and to: ${granted}. Change it with \`/viam-usage access add|remove @user\`.`,
      ),
    );
    return;
  }
  const mention = userMention(command.userId) ?? command.userId;
  if (command.action === 'add') {
    await grantViewAccess(request, command.userId);
    await request.reply(infoNotice(`${mention} can now see Viam billing in this workspace.`));
  } else {
    await revokeViewAccess(request, command.userId);
    await request.reply(
      infoNotice(`${mention} no longer has view access (workspace admins and whoever connected an org always do).`),
    );
  }
}

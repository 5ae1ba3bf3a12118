import { refreshHome } from '../../home/publish';
import type { AppServices } from '../../services/app-services';
import { disconnectConnectedOrg } from '../../services/disconnect-org';
import { findOrg } from '../../store';
import { authorizeManagement } from '../org-access';
import { homeButton, orgOfButton } from './home-request';

/**
 * "Disconnect" on an org in the Home tab, after Slack's confirmation dialog: forgets the org and its
 * key as `/viam-usage disconnect` does, then redraws the tab. An org already gone just redraws it.
 */
export function homeDisconnectAction(services: AppServices) {
  return homeButton(services, 'action:home-disconnect', async (request, value) => {
    const label = await orgOfButton(request, value);
    if (label === undefined) return;
    const allowed = await authorizeManagement(request);
    if (!allowed) return;
    const org = findOrg(allowed.workspace, label);
    if (org) await disconnectConnectedOrg(request, org);
    await refreshHome(request);
  });
}

import { accessModal } from '../../blocks/home-access-modal';
import type { AppServices } from '../../services/app-services';
import { authorizeManagement, peopleToAsk } from '../org-access';
import { homeButton } from './home-request';

/** "Who can see billing" in the Home tab: the access form, prefilled with today's viewers. */
export function homeAccessAction(services: AppServices) {
  return homeButton(services, 'action:home-access', async (request) => {
    const allowed = await authorizeManagement(request);
    if (!allowed) return;
    const { workspace } = allowed;
    await request.client.views.open({
      trigger_id: request.triggerId ?? '',
      view: accessModal({
        viewers: workspace.viewers,
        connectors: peopleToAsk(
          request,
          workspace.orgs.map((org) => org.connectedBy),
        ),
      }),
    });
  });
}

import { connectModal } from '../../blocks/connect-modal';
import { VIEW_HOME_CONNECT_ORG } from '../../blocks/ids';
import type { AppServices } from '../../services/app-services';
import { authorizeManagement } from '../org-access';
import { homeButton } from './home-request';

/** "Connect an org" in the Home tab: the connect modal, whose success also refreshes the Home tab. */
export function homeConnectAction(services: AppServices) {
  return homeButton(services, 'action:home-connect', async (request) => {
    if (!(await authorizeManagement(request))) return;
    await request.client.views.open({
      trigger_id: request.triggerId ?? '',
      view: { ...connectModal({ privateMetadata: '{}' }), callback_id: VIEW_HOME_CONNECT_ORG },
    });
  });
}

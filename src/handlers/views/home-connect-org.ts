import { refreshHome } from '../../home/publish';
import type { AppServices } from '../../services/app-services';
import { buildRequest } from '../request';
import { connectOrgSubmission } from './connect-org';
import type { HomeViewArgs } from './home-submission';

/**
 * The connect modal opened from the Home tab. The submission is the slash command's own (checks,
 * inline errors, audit); once it has connected the org, the Home tab is redrawn to show it.
 */
export function homeConnectOrgSubmission(services: AppServices) {
  const connect = connectOrgSubmission(services);
  return async (args: HomeViewArgs): Promise<void> => {
    let connected = false;
    // Watching the answer rather than re-deciding: the connect modal is replaced by its "connected"
    // view exactly when the org was stored.
    const ack: HomeViewArgs['ack'] = async (response) => {
      connected = response?.response_action === 'update';
      await args.ack(response);
    };
    await connect({ ...args, ack });
    if (!connected) return;
    const request = buildRequest(
      {
        teamId: args.body.team?.id ?? args.body.user.team_id ?? '',
        enterpriseId: args.body.enterprise?.id ?? undefined,
        userId: args.body.user.id,
        client: args.client,
        listener: 'view:home-connect-org',
      },
      services,
    );
    await refreshHome(request);
  };
}

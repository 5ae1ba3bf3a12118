import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { publishHome } from '../../home/publish';
import type { AppServices } from '../../services/app-services';
import { answering, buildRequest } from '../request';

/**
 * The Home tab, drawn afresh each time it is opened: the billing dashboard for people who may see it,
 * who to ask for those who may not. (Slack sends this event for the Messages tab too; only Home is
 * drawn.) If it cannot be drawn at all, the tab says so in one sentence.
 */
export function appHomeOpened(services: AppServices) {
  return async ({
    event,
    body,
    client,
  }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs): Promise<void> => {
    if (event.tab !== 'home') return;
    const request = buildRequest(
      {
        teamId: body.team_id,
        enterpriseId: body.enterprise_id ?? undefined,
        userId: event.user,
        client,
        listener: 'event:app-home-opened',
      },
      services,
    );
    request.reply = async (message) => {
      await client.views.publish({ user_id: event.user, view: { type: 'home', blocks: message.blocks } });
    };
    await answering(request, () => publishHome(request));
  };
}

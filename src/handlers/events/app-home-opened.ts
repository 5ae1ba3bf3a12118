import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { renderHelp } from '../../blocks/help';
import type { AppServices } from '../../services/app-services';

/** The Home tab: how to use the app. (Slack sends this event for the Messages tab too; only Home is drawn.) */
export function appHomeOpened(services: AppServices) {
  return async ({ event, client }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs): Promise<void> => {
    if (event.tab !== 'home') return;
    try {
      await client.views.publish({ user_id: event.user, view: { type: 'home', blocks: renderHelp().blocks } });
    } catch (error) {
      services.logger.warn({ err: error, user: event.user }, 'could not publish the Home tab');
    }
  };
}

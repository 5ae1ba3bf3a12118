import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { AppServices } from '../../services/app-services';
import { forgetWorkspaceOf } from './workspace-cleanup';

/**
 * The workspace (or, for an org-wide install, the enterprise) removed the app: nothing of it may
 * stay behind, so a reinstall starts clean. Bolt delivers this event without authorizing it, since
 * the tokens are already dead.
 */
export function appUninstalled(services: AppServices) {
  return async ({ context }: SlackEventMiddlewareArgs<'app_uninstalled'> & AllMiddlewareArgs): Promise<void> => {
    const logger = services.logger.child({ listener: 'event:app_uninstalled', team: context.teamId });
    await forgetWorkspaceOf(services, context, logger);
  };
}

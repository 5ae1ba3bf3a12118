import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { AppServices } from '../../services/app-services';
import { forgetWorkspace } from './workspace-cleanup';

/**
 * The workspace (or, for an org-wide install, the enterprise) removed the app: nothing of it may
 * stay behind, so a reinstall starts clean. Bolt delivers this event without authorizing it, since
 * the tokens are already dead.
 */
export function appUninstalled(services: AppServices) {
  return async ({ context }: SlackEventMiddlewareArgs<'app_uninstalled'> & AllMiddlewareArgs): Promise<void> => {
    const logger = services.logger.child({ listener: 'event:app_uninstalled', team: context.teamId });
    try {
      await forgetWorkspace(
        services,
        {
          teamId: context.teamId,
          enterpriseId: context.enterpriseId,
          isEnterpriseInstall: context.isEnterpriseInstall,
        },
        logger,
      );
    } catch (error) {
      logger.error({ err: error }, 'could not delete what was held for the uninstalled workspace');
    }
  };
}

import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { AppServices } from '../../services/app-services';
import { forgetWorkspaceOf } from './workspace-cleanup';

/**
 * Tokens of the app were revoked. `tokens.bot` and `tokens.oauth` list user IDs, not tokens. A
 * revoked bot token means the app can no longer act in the workspace, so everything held for it
 * goes, as on app_uninstalled. User tokens alone: the app never asks for any, so nothing of ours is
 * tied to them. Delivered without authorization, like app_uninstalled.
 */
export function tokensRevoked(services: AppServices) {
  return async ({ event, context }: SlackEventMiddlewareArgs<'tokens_revoked'> & AllMiddlewareArgs): Promise<void> => {
    const logger = services.logger.child({ listener: 'event:tokens_revoked', team: context.teamId });
    const botUsers = event.tokens.bot?.length ?? 0;
    const users = event.tokens.oauth?.length ?? 0;
    if (botUsers === 0) {
      logger.info({ userTokens: users }, 'user tokens revoked; the app holds nothing for user tokens');
      return;
    }
    await forgetWorkspaceOf(services, context, logger);
  };
}

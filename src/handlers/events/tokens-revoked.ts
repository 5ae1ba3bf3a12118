import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { AppServices } from '../../services/app-services';

/**
 * Tokens of the app were revoked. `tokens.bot` and `tokens.oauth` list user IDs, not tokens. A
 * revoked bot token is not an uninstall: the installation stops being used and needs a reinstall,
 * while settings and the audit trail stay (src/slack/revocations.ts) until a reinstall or the purge.
 * In single-workspace mode the token is SLACK_BOT_TOKEN, which only an admin can replace. User tokens
 * alone: the app never asks for any, so nothing of ours is tied to them. Delivered without
 * authorization, like app_uninstalled.
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
    const scope = {
      teamId: context.teamId,
      enterpriseId: context.enterpriseId,
      isEnterpriseInstall: context.isEnterpriseInstall ?? false,
    };
    if (!services.revocations) {
      logger.error(
        {},
        'the bot token was revoked: install the app again and set SLACK_BOT_TOKEN to the new token; settings are kept',
      );
      return;
    }
    try {
      if (!(await services.revocations.revoke(scope)))
        logger.info({}, 'bot token revoked for a workspace not installed');
    } catch (error) {
      logger.error({ err: error }, 'could not mark the installation as revoked');
    }
  };
}

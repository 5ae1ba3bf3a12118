import type { AuthorizeResult, InstallationQuery } from '@slack/bolt';
import type { InstallationAccess, SlackInstallation, TokenRefreshCoordinator } from './refresh-coordinator';

/**
 * Bolt's `authorize` for OAuth mode, in place of @slack/oauth's InstallProvider.authorize (which
 * refreshes a rotating token on every replica at once): the installation from our store, its bot
 * token refreshed through the coordinator when due, mapped to what Bolt puts in a listener's context.
 */
export type InstallationAuthorize = (query: InstallationQuery<boolean>) => Promise<AuthorizeResult>;

export function installationAuthorize(input: {
  installations: Pick<InstallationAccess, 'fetchInstallation'>;
  refreshes: Pick<TokenRefreshCoordinator, 'fresh'>;
}): InstallationAuthorize {
  return async (query) => {
    const stored = await input.installations.fetchInstallation(query);
    return authorizeResult(await input.refreshes.fresh(query, stored), query);
  };
}

/**
 * The fields InstallProvider.authorize gives, except the refresh tokens: listeners never refresh,
 * and a context is the kind of object that ends up in a debug line.
 */
export function authorizeResult(installation: SlackInstallation, query: InstallationQuery<boolean>): AuthorizeResult {
  const { bot, user } = installation;
  const enterpriseId = installation.enterprise?.id ?? query.enterpriseId;
  return {
    // An org-wide install has no team of its own: the team is the one the request came from.
    teamId: installation.team?.id ?? query.teamId,
    ...(enterpriseId ? { enterpriseId } : {}),
    ...(bot ? { botToken: bot.token, botId: bot.id, botUserId: bot.userId } : {}),
    ...(bot?.expiresAt !== undefined ? { botTokenExpiresAt: bot.expiresAt } : {}),
    ...(user.token ? { userToken: user.token } : {}),
  };
}

import type { Installation } from '@slack/oauth';

/** A workspace install of the app as Bolt hands it to the installation store, with this bot token. */
export function workspaceInstallation(teamId: string, botToken: string): Installation<'v2', false> {
  return {
    team: { id: teamId },
    enterprise: undefined,
    user: { id: 'U0INSTALL1', token: undefined, scopes: undefined },
    bot: { token: botToken, scopes: ['commands'], id: 'B1', userId: 'U0BOT' },
    appId: 'A0VIAMBILL',
    tokenType: 'bot',
    isEnterpriseInstall: false,
    authVersion: 'v2',
  };
}

import type { BotCall, MethodSpec } from './context';
import { ok } from './context';

export const authMethods: Record<string, MethodSpec> = {
  'auth.test': { auth: 'bot', handle: authTest },
};

function authTest({ team, state }: BotCall) {
  const botUser = state.workspaces.user(team.botUserId);
  return ok({
    url: `https://${team.domain}.slack.com/`,
    team: team.name,
    user: botUser?.name ?? 'bot',
    team_id: team.id,
    user_id: team.botUserId,
    bot_id: team.botId,
    is_enterprise_install: false,
  });
}

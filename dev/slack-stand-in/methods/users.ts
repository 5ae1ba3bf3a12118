import type { BotCall, MethodSpec } from './context';
import { fail, ok, stringArg } from './context';
import { userJson } from './serialize';

export const userMethods: Record<string, MethodSpec> = {
  'users.info': { auth: 'bot', scopes: ['users:read'], handle: usersInfo },
};

function usersInfo({ team, args, state }: BotCall) {
  const user = state.workspaces.user(stringArg(args, 'user') ?? '');
  if (!user || user.teamId !== team.id) return fail('user_not_found');
  // Slack only includes the email when the token also has users:read.email.
  const json = userJson(user, state.clock.now(), team.scopes.includes('users:read.email'));
  if (stringArg(args, 'include_locale') === 'true') json.locale = 'en-US';
  return ok({ user: json });
}

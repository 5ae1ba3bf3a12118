import type { BotCall, MethodAnswer, MethodSpec } from './context';
import { booleanArg, fail, missingScope, ok, stringArg } from './context';
import { channelJson } from './serialize';

export const conversationMethods: Record<string, MethodSpec> = {
  'conversations.info': { auth: 'bot', handle: conversationsInfo },
  'conversations.join': { auth: 'bot', scopes: ['channels:join'], handle: conversationsJoin },
  'conversations.open': { auth: 'bot', handle: conversationsOpen },
};

function conversationsInfo({ team, args, state }: BotCall): MethodAnswer {
  const channel = state.workspaces.channel(stringArg(args, 'channel') ?? '');
  if (!channel || channel.teamId !== team.id) return fail('channel_not_found');
  // The bot cannot see private conversations it is not part of: to it they do not exist.
  const isMember = channel.members.includes(team.botUserId);
  if (channel.isPrivate && !isMember) return fail('channel_not_found');
  const needed = channel.isIm
    ? 'im:read'
    : channel.isMpim
      ? 'mpim:read'
      : channel.isPrivate
        ? 'groups:read'
        : 'channels:read';
  const denied = missingScope(team, needed);
  if (denied) return denied;
  return ok({ channel: channelJson(channel, team) });
}

function conversationsJoin({ team, args, state }: BotCall): MethodAnswer {
  const channel = state.workspaces.channel(stringArg(args, 'channel') ?? '');
  if (!channel || channel.teamId !== team.id) return fail('channel_not_found');
  // Only public channels can be joined; private ones (and DMs) need a human to invite the bot.
  if (channel.isPrivate) return fail('method_not_supported_for_channel_type');
  if (channel.isArchived) return fail('is_archived');
  if (channel.members.includes(team.botUserId)) {
    return ok({
      channel: channelJson(channel, team),
      warning: 'already_in_channel',
      response_metadata: { warnings: ['already_in_channel'] },
    });
  }
  state.workspaces.addChannelMember(channel.id, team.botUserId);
  return ok({ channel: channelJson(channel, team) });
}

function conversationsOpen({ team, args, state }: BotCall): MethodAnswer {
  const userIds = (stringArg(args, 'users') ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  if (userIds.length === 0) return fail('users_list_not_supplied');
  for (const id of userIds) {
    const user = state.workspaces.user(id);
    if (!user || user.teamId !== team.id) return fail('user_not_found');
  }
  const [onlyUser] = userIds;
  const isDm = userIds.length === 1 && onlyUser !== undefined;
  const denied = missingScope(team, isDm ? 'im:write' : 'mpim:write');
  if (denied) return denied;
  const { channel, existed } =
    isDm && onlyUser !== undefined
      ? state.workspaces.openIm(team.id, onlyUser)
      : state.workspaces.openMpim(team.id, userIds);
  const body = booleanArg(args, 'return_im') ? channelJson(channel, team) : { id: channel.id };
  return ok(existed ? { no_op: true, already_open: true, channel: body } : { channel: body });
}

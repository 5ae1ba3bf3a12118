import { decodeCursor, encodeCursor, type HistoryWindow, inWindow, pageLimit, tsMicros } from '../history';
import type { StandInChannel } from '../workspace';
import type { BotCall, MethodAnswer, MethodSpec } from './context';
import { booleanArg, fail, missingScope, ok, stringArg } from './context';
import { channelJson, messageJson } from './serialize';

export const conversationMethods: Record<string, MethodSpec> = {
  'conversations.history': { auth: 'bot', handle: conversationsHistory },
  'conversations.info': { auth: 'bot', handle: conversationsInfo },
  'conversations.join': { auth: 'bot', scopes: ['channels:join'], handle: conversationsJoin },
  'conversations.open': { auth: 'bot', handle: conversationsOpen },
  'conversations.replies': { auth: 'bot', handle: conversationsReplies },
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

/**
 * The channel whose messages the bot may read, or Slack's refusal: as with conversations.info, a
 * private conversation the bot is not in does not exist for it; then the history scope; then membership.
 */
function readableChannel({
  team,
  args,
  state,
}: BotCall): { channel: Readonly<StandInChannel> } | { refusal: MethodAnswer } {
  const channel = state.workspaces.channel(stringArg(args, 'channel') ?? '');
  if (!channel || channel.teamId !== team.id) return { refusal: fail('channel_not_found') };
  const isMember = channel.members.includes(team.botUserId);
  if ((channel.isPrivate || channel.isIm || channel.isMpim) && !isMember) return { refusal: fail('channel_not_found') };
  const denied = missingScope(team, historyScope(channel));
  if (denied) return { refusal: denied };
  return isMember ? { channel } : { refusal: fail('not_in_channel') };
}

function conversationsHistory(call: BotCall): MethodAnswer {
  const { args, state } = call;
  const readable = readableChannel(call);
  if ('refusal' in readable) return readable.refusal;
  const { channel } = readable;

  const window = historyWindow(args);
  if ('error' in window) return window.error;
  const rawCursor = stringArg(args, 'cursor');
  const startAt = rawCursor === undefined ? undefined : decodeCursor(rawCursor);
  if (rawCursor !== undefined && startAt === undefined) return fail('invalid_cursor');
  const limit = pageLimit(stringArg(args, 'limit'));
  const withMetadata = booleanArg(args, 'include_all_metadata');

  // Thread replies live in conversations.replies; history shows only top-level messages and thread parents.
  const newestFirst = state.messages
    .in(channel.id)
    .filter((message) => message.threadTs === undefined || message.threadTs === message.ts)
    .map((message) => ({ message, at: tsMicros(message.ts) ?? 0n }))
    .filter(({ at }) => inWindow(at, window) && (startAt === undefined || at <= startAt))
    .sort((a, b) => (a.at === b.at ? 0 : a.at > b.at ? -1 : 1));
  const page = newestFirst.slice(0, limit);
  const next = newestFirst[limit];
  return ok({
    messages: page.map(({ message }) => ({
      ...messageJson(message, state.app.appId),
      ...(withMetadata && message.metadata !== undefined ? { metadata: message.metadata } : {}),
    })),
    has_more: next !== undefined,
    pin_count: 0,
    response_metadata: { next_cursor: next ? encodeCursor(next.message.ts) : '' },
  });
}

/** A thread, parent first and oldest to newest, as Slack pages it; the same visibility and scopes as history. */
function conversationsReplies(call: BotCall): MethodAnswer {
  const { args, state } = call;
  const readable = readableChannel(call);
  if ('refusal' in readable) return readable.refusal;
  const { channel } = readable;
  const threadTs = stringArg(args, 'ts');
  if (threadTs === undefined) return fail('invalid_arguments');
  const parent = state.messages.find(channel.id, threadTs);
  if (!parent) return fail('thread_not_found');
  const rawCursor = stringArg(args, 'cursor');
  const startAfter = rawCursor === undefined ? undefined : decodeCursor(rawCursor);
  if (rawCursor !== undefined && startAfter === undefined) return fail('invalid_cursor');
  const limit = pageLimit(stringArg(args, 'limit'));
  const oldestFirst = state.messages
    .in(channel.id)
    .filter((message) => message.ts === threadTs || message.threadTs === threadTs)
    .map((message) => ({ message, at: tsMicros(message.ts) ?? 0n }))
    .filter(({ at }) => startAfter === undefined || at >= startAfter)
    .sort((a, b) => (a.at === b.at ? 0 : a.at < b.at ? -1 : 1));
  const page = oldestFirst.slice(0, limit);
  const next = oldestFirst[limit];
  return ok({
    messages: page.map(({ message }) => messageJson(message, state.app.appId)),
    has_more: next !== undefined,
    response_metadata: { next_cursor: next ? encodeCursor(next.message.ts) : '' },
  });
}

function historyScope(channel: Readonly<StandInChannel>): string {
  if (channel.isIm) return 'im:history';
  if (channel.isMpim) return 'mpim:history';
  return channel.isPrivate ? 'groups:history' : 'channels:history';
}

function historyWindow(args: Record<string, unknown>): HistoryWindow | { error: MethodAnswer } {
  const bounds: Pick<HistoryWindow, 'oldest' | 'latest'> = {};
  for (const name of ['oldest', 'latest'] as const) {
    const raw = stringArg(args, name);
    if (raw === undefined) continue;
    const micros = tsMicros(raw);
    if (micros === undefined) return { error: fail(`invalid_ts_${name}`) };
    bounds[name] = micros;
  }
  return { ...bounds, inclusive: booleanArg(args, 'inclusive') };
}

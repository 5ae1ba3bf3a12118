import { validateBlocks } from '../block-kit';
import type { StandInChannel, StandInTeam } from '../workspace';
import type { BotCall, MethodAnswer, MethodSpec } from './context';
import { blockErrors, fail, jsonArg, ok, stringArg } from './context';
import { messageJson } from './serialize';

/** Slack truncates beyond this and rejects longer `text`. */
const MAX_TEXT_LENGTH = 40_000;

export const chatMethods: Record<string, MethodSpec> = {
  'chat.postMessage': { auth: 'bot', scopes: ['chat:write'], handle: postMessage },
  'chat.postEphemeral': { auth: 'bot', scopes: ['chat:write'], handle: postEphemeral },
  'chat.update': { auth: 'bot', scopes: ['chat:write'], handle: update },
  'chat.delete': { auth: 'bot', scopes: ['chat:write'], handle: remove },
};

/**
 * Whether the bot may post in a channel. A public channel the bot is not in works only with `chat:write.public`; a
 * private one never does.
 */
export function postingDenied(
  team: Readonly<StandInTeam>,
  channel: Readonly<StandInChannel> | undefined,
): string | undefined {
  if (!channel) return 'channel_not_found';
  if (channel.isArchived) return 'is_archived';
  if (channel.members.includes(team.botUserId)) return undefined;
  if (channel.isPrivate || channel.isIm || channel.isMpim) return 'not_in_channel';
  return team.scopes.includes('chat:write.public') ? undefined : 'not_in_channel';
}

type Content = { text?: string; blocks?: unknown[]; attachments?: unknown[] };

function postMessage({ team, args, state }: BotCall): MethodAnswer {
  const channel = state.workspaces.resolveChannel(team.id, stringArg(args, 'channel') ?? '');
  const denied = postingDenied(team, channel);
  if (denied || !channel) return fail(denied ?? 'channel_not_found');
  const content = readContent(args);
  if ('error' in content) return content.error;
  const metadata = readMetadata(args);
  if (metadata && 'error' in metadata) return metadata.error;
  const message = state.messages.post({
    channel: channel.id,
    ts: state.ids.messageTs(state.clock.now()),
    teamId: team.id,
    user: team.botUserId,
    botId: team.botId,
    ...content,
    threadTs: stringArg(args, 'thread_ts'),
    metadata: metadata?.value,
  });
  return ok({ channel: channel.id, ts: message.ts, message: messageJson(message, state.app.appId) });
}

function postEphemeral({ team, args, state }: BotCall): MethodAnswer {
  const channel = state.workspaces.resolveChannel(team.id, stringArg(args, 'channel') ?? '');
  const denied = postingDenied(team, channel);
  if (denied || !channel) return fail(denied ?? 'channel_not_found');
  const userId = stringArg(args, 'user') ?? '';
  const user = state.workspaces.user(userId);
  if (!user || user.teamId !== team.id) return fail('user_not_found');
  if (!channel.members.includes(user.id)) return fail('user_not_in_channel');
  const content = readContent(args);
  if ('error' in content) return content.error;
  const messageTs = state.ids.messageTs(state.clock.now());
  state.messages.postEphemeral({
    channel: channel.id,
    user: user.id,
    messageTs,
    text: content.text,
    blocks: content.blocks,
    threadTs: stringArg(args, 'thread_ts'),
  });
  return ok({ message_ts: messageTs });
}

function update({ team, args, state }: BotCall): MethodAnswer {
  const channel = state.workspaces.resolveChannel(team.id, stringArg(args, 'channel') ?? '');
  if (!channel) return fail('channel_not_found');
  if (channel.isArchived) return fail('is_archived');
  const ts = stringArg(args, 'ts') ?? '';
  const existing = state.messages.find(channel.id, ts);
  if (!existing) return fail('message_not_found');
  if (existing.user !== team.botUserId) return fail('cant_update_message');
  const content = readContent(args);
  if ('error' in content) return content.error;
  const message = state.messages.update(channel.id, ts, content);
  return ok({ channel: channel.id, ts, text: message.text ?? '', message: messageJson(message, state.app.appId) });
}

function remove({ team, args, state }: BotCall): MethodAnswer {
  const channel = state.workspaces.resolveChannel(team.id, stringArg(args, 'channel') ?? '');
  if (!channel) return fail('channel_not_found');
  const ts = stringArg(args, 'ts') ?? '';
  const existing = state.messages.find(channel.id, ts);
  if (!existing) return fail('message_not_found');
  if (existing.user !== team.botUserId) return fail('cant_delete_message');
  state.messages.delete(channel.id, ts);
  return ok({ channel: channel.id, ts });
}

/** Slack's event_type rule: letters, digits and underscores, at most 255. */
const EVENT_TYPE = /^[A-Za-z0-9_]{1,255}$/;

/**
 * Message metadata as Slack keeps it (conversations.history returns it with `include_all_metadata`). Slack refuses
 * what is not JSON, and JSON without an event_type and an object event_payload.
 */
function readMetadata(args: Record<string, unknown>): { value: unknown } | { error: MethodAnswer } | undefined {
  const metadata = jsonArg(args, 'metadata');
  if ('malformed' in metadata) return { error: fail('invalid_metadata_format') };
  if (metadata.value === undefined) return undefined;
  const { event_type: eventType, event_payload: payload } = (metadata.value ?? {}) as Record<string, unknown>;
  const payloadIsObject = typeof payload === 'object' && payload !== null && !Array.isArray(payload);
  if (typeof eventType !== 'string' || !EVENT_TYPE.test(eventType) || !payloadIsObject) {
    return { error: fail('invalid_metadata_schema') };
  }
  return { value: { event_type: eventType, event_payload: payload } };
}

function readContent(args: Record<string, unknown>): Content | { error: MethodAnswer } {
  const content: Content = {};
  const text = stringArg(args, 'text');
  if (text !== undefined) {
    if (text.length > MAX_TEXT_LENGTH) return { error: fail('msg_too_long') };
    content.text = text;
  }
  const blocks = jsonArg(args, 'blocks');
  if ('malformed' in blocks) return { error: fail('invalid_blocks_format') };
  if (blocks.value !== undefined) {
    if (!Array.isArray(blocks.value)) return { error: fail('invalid_blocks_format') };
    const problems = validateBlocks(blocks.value, 'message');
    if (problems.length > 0) return { error: fail('invalid_blocks', blockErrors(problems)) };
    content.blocks = blocks.value;
  }
  const attachments = jsonArg(args, 'attachments');
  if ('malformed' in attachments) return { error: fail('invalid_attachments') };
  if (attachments.value !== undefined) {
    if (!Array.isArray(attachments.value)) return { error: fail('invalid_attachments') };
    content.attachments = attachments.value;
  }
  const empty = !content.text && !content.blocks?.length && !content.attachments?.length;
  return empty ? { error: fail('no_text') } : content;
}

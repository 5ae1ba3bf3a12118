import { fileTypeOf, type UploadedFile } from '../file-store';
import type { StandInTeam } from '../workspace';
import type { BotCall, MethodAnswer, MethodSpec, StandInState } from './context';
import { fail, jsonArg, ok, stringArg } from './context';

export const UPLOAD_PATH_PREFIX = '/upload/v1/';
/** Slack rejects alt text longer than this with the (sic) `alt_txt_too_large`. */
const MAX_ALT_TEXT = 1000;
/** completeUploadExternal validates channel ids against this before anything else. */
const CHANNEL_ID = /^[CGDZ][A-Z0-9]{8,}$/;

export const fileMethods: Record<string, MethodSpec> = {
  'files.getUploadURLExternal': { auth: 'bot', scopes: ['files:write'], handle: getUploadUrl },
  'files.completeUploadExternal': { auth: 'bot', scopes: ['files:write'], handle: completeUpload },
  'files.info': { auth: 'bot', scopes: ['files:read'], handle: filesInfo },
};

function getUploadUrl({ team, args, state }: BotCall): MethodAnswer {
  const filename = stringArg(args, 'filename');
  if (!filename) return fail('invalid_arguments');
  const length = Number(stringArg(args, 'length') ?? '0');
  if (!Number.isInteger(length) || length <= 0) return fail('missing_argument');
  const altText = stringArg(args, 'alt_text');
  if (altText !== undefined && altText.length > MAX_ALT_TEXT) return fail('alt_txt_too_large');
  const fileId = state.ids.next('F');
  const uploadKey = state.ids.opaque('u');
  state.files.start({
    fileId,
    uploadKey,
    teamId: team.id,
    userId: team.botUserId,
    filename,
    declaredLength: length,
    altText,
    snippetType: stringArg(args, 'snippet_type'),
    createdAt: state.clock.now(),
  });
  return ok({ upload_url: `${state.origin}${UPLOAD_PATH_PREFIX}${uploadKey}`, file_id: fileId });
}

function completeUpload({ team, args, state }: BotCall): MethodAnswer {
  const filesArg = jsonArg(args, 'files');
  if ('malformed' in filesArg || !Array.isArray(filesArg.value) || filesArg.value.length === 0) {
    return fail('invalid_arguments');
  }
  const requested: { id: string; title?: string }[] = [];
  for (const entry of filesArg.value) {
    if (typeof entry !== 'object' || entry === null || typeof (entry as { id?: unknown }).id !== 'string') {
      return fail('invalid_arguments');
    }
    const { id, title } = entry as { id: string; title?: unknown };
    requested.push({ id, title: typeof title === 'string' && title !== '' ? title : undefined });
  }
  const channelId = stringArg(args, 'channel_id') ?? stringArg(args, 'channels');
  if (channelId !== undefined) {
    if (channelId.includes(',')) return fail('invalid_arguments');
    if (!CHANNEL_ID.test(channelId)) return fail('invalid_arguments');
    const denied = sharingDenied(team, state, channelId);
    if (denied) return fail(denied);
  }
  const pending = requested.map((file) => ({ file, upload: state.files.pendingById(file.id) }));
  // Uploads never POSTed are discarded by Slack, so they are as good as unknown.
  if (pending.some(({ upload }) => !upload || upload.teamId !== team.id || !upload.bytes))
    return fail('file_not_found');

  const initialComment = stringArg(args, 'initial_comment');
  const threadTs = stringArg(args, 'thread_ts');
  const shareTs = channelId ? state.ids.messageTs(state.clock.now()) : undefined;
  const completed: UploadedFile[] = [];
  for (const { file, upload } of pending) {
    if (!upload?.bytes) continue;
    const uploaded: UploadedFile = {
      id: upload.fileId,
      teamId: team.id,
      userId: upload.userId,
      filename: upload.filename,
      title: file.title ?? upload.filename,
      channel: channelId,
      threadTs,
      initialComment,
      shareTs,
      bytes: upload.bytes,
      declaredLength: upload.declaredLength,
      ...fileTypeOf(upload.filename),
      createdAt: state.clock.now(),
    };
    state.files.complete(uploaded);
    completed.push(uploaded);
  }
  if (channelId && shareTs) {
    state.messages.post({
      channel: channelId,
      ts: shareTs,
      teamId: team.id,
      user: team.botUserId,
      botId: team.botId,
      text: initialComment ?? '',
      threadTs,
      files: completed.map((file) => file.id),
    });
  }
  return ok({ files: completed.map((file) => fileJson(file, state)) });
}

function filesInfo({ team, args, state }: BotCall): MethodAnswer {
  const file = state.files.byId(stringArg(args, 'file') ?? '');
  if (!file || file.teamId !== team.id) return fail('file_not_found');
  return ok({ file: fileJson(file, state) });
}

/** Sharing a file needs real membership: unlike chat.postMessage, `chat:write.public` does not help. */
function sharingDenied(team: Readonly<StandInTeam>, state: StandInState, channelId: string): string | undefined {
  const channel = state.workspaces.channel(channelId);
  if (!channel || channel.teamId !== team.id) return 'channel_not_found';
  if (channel.isArchived) return 'is_archived';
  return channel.members.includes(team.botUserId) ? undefined : 'not_in_channel';
}

function fileJson(file: UploadedFile, state: StandInState): Record<string, unknown> {
  const channel = file.channel ? state.workspaces.channel(file.channel) : undefined;
  const shares: Record<string, unknown> = {};
  if (channel && file.shareTs) {
    shares[channel.isPrivate ? 'private' : 'public'] = {
      [channel.id]: [
        { ts: file.shareTs, channel_name: channel.name, team_id: file.teamId, share_user_id: file.userId },
      ],
    };
  }
  return {
    id: file.id,
    created: Math.floor(file.createdAt / 1000),
    timestamp: Math.floor(file.createdAt / 1000),
    name: file.filename,
    title: file.title,
    mimetype: file.mimetype,
    filetype: file.filetype,
    user: file.userId,
    user_team: file.teamId,
    size: file.bytes.length,
    is_external: false,
    is_public: channel !== undefined && !channel.isPrivate,
    url_private: `${state.origin}/files-pri/${file.teamId}-${file.id}/${encodeURIComponent(file.filename)}`,
    permalink: `${state.origin}/files/${file.userId}/${file.id}/${encodeURIComponent(file.filename)}`,
    channels: channel && !channel.isPrivate ? [channel.id] : [],
    groups: channel?.isPrivate && !channel.isIm ? [channel.id] : [],
    ims: channel?.isIm ? [channel.id] : [],
    shares,
    initial_comment: file.initialComment,
  };
}

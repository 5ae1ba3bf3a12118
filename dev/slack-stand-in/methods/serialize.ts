import type { StandInMessage } from '../message-store';
import { tzLabel, tzOffsetSeconds } from '../time-zones';
import type { StandInView } from '../view-store';
import type { StandInChannel, StandInTeam, StandInUser } from '../workspace';

/** Slack's JSON shapes for the stand-in's records, with the fields Bolt and our app read. */

export function channelJson(channel: Readonly<StandInChannel>, team: Readonly<StandInTeam>): Record<string, unknown> {
  if (channel.isIm) {
    return {
      id: channel.id,
      created: channel.created,
      is_im: true,
      is_org_shared: false,
      context_team_id: team.id,
      user: channel.imUser,
      is_user_deleted: false,
      priority: 0,
    };
  }
  const emptyTopic = { value: '', creator: '', last_set: 0 };
  return {
    id: channel.id,
    name: channel.name,
    is_channel: !channel.isPrivate,
    is_group: channel.isPrivate && !channel.isMpim,
    is_im: false,
    is_mpim: channel.isMpim,
    is_private: channel.isPrivate,
    created: channel.created,
    is_archived: channel.isArchived,
    is_general: channel.name === 'general',
    unlinked: 0,
    name_normalized: channel.name,
    is_shared: false,
    is_org_shared: false,
    is_ext_shared: false,
    is_pending_ext_shared: false,
    context_team_id: team.id,
    creator: channel.creator,
    is_member: channel.members.includes(team.botUserId),
    topic: emptyTopic,
    purpose: emptyTopic,
    num_members: channel.members.length,
  };
}

export function userJson(user: Readonly<StandInUser>, nowMs: number, includeEmail: boolean): Record<string, unknown> {
  const profile: Record<string, unknown> = {
    real_name: user.realName,
    real_name_normalized: user.realName,
    display_name: user.name,
    display_name_normalized: user.name,
    team: user.teamId,
    image_48: `https://avatars.standin.invalid/${user.id}_48.png`,
  };
  if (includeEmail && !user.isBot) profile.email = user.email;
  return {
    id: user.id,
    team_id: user.teamId,
    name: user.name,
    deleted: user.deleted,
    color: '9f69e7',
    real_name: user.realName,
    tz: user.tz,
    tz_label: tzLabel(user.tz, nowMs),
    tz_offset: tzOffsetSeconds(user.tz, nowMs),
    profile,
    is_admin: user.isAdmin,
    is_owner: user.isOwner,
    is_primary_owner: user.isPrimaryOwner,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: user.isBot,
    is_app_user: false,
    updated: Math.floor(nowMs / 1000),
  };
}

export function messageJson(message: StandInMessage, appId: string): Record<string, unknown> {
  return {
    type: 'message',
    user: message.user,
    bot_id: message.botId,
    app_id: appId,
    text: message.text ?? '',
    blocks: message.blocks,
    attachments: message.attachments,
    ts: message.ts,
    thread_ts: message.threadTs,
    team: message.teamId,
    files: message.files?.map((id) => ({ id })),
    edited: message.updates > 0 ? { user: message.user, ts: message.ts } : undefined,
  };
}

export function viewJson(stored: StandInView, team: Readonly<StandInTeam>, appId: string): Record<string, unknown> {
  const view = stored.view;
  return {
    id: stored.id,
    team_id: team.id,
    type: stored.type,
    blocks: view.blocks ?? [],
    private_metadata: view.private_metadata ?? '',
    callback_id: view.callback_id ?? '',
    state: { values: {} },
    hash: stored.hash,
    title: view.title,
    clear_on_close: view.clear_on_close ?? false,
    notify_on_close: view.notify_on_close ?? false,
    close: view.close ?? null,
    submit: view.submit ?? null,
    previous_view_id: stored.previousViewId ?? null,
    root_view_id: stored.rootViewId,
    app_id: appId,
    external_id: stored.externalId ?? '',
    app_installed_team_id: team.id,
    bot_id: team.botId,
  };
}

import { DEFAULT_APP } from './seed';

/**
 * Payloads shaped as Slack sends them to an app, shared by the signed-HTTP senders and the Socket Mode stand-in.
 * References accept a bare id or an object with more detail (the stand-in's team/user/channel records fit).
 */

export type TeamRef = string | { id: string; domain?: string };
export type UserRef = string | { id: string; name?: string; teamId?: string };
export type ChannelRef = string | { id: string; name?: string };

export interface AppIdentity {
  /** Default: the stand-in's app id. */
  apiAppId?: string;
  /** The legacy verification token in every payload. */
  verificationToken?: string;
}

export interface SlashCommandInput extends AppIdentity {
  team: TeamRef;
  user: UserRef;
  channel: ChannelRef;
  text?: string;
  /** Default `/viam-usage`. */
  command?: string;
  /** Slack always sends one; use the stand-in's `responseUrl()` to capture replies. */
  responseUrl: string;
  triggerId?: string;
}

export interface BlockActionInput extends AppIdentity {
  team: TeamRef;
  user: UserRef;
  /** Absent for actions in a modal or the Home tab. */
  channel?: ChannelRef;
  /** Slack-shaped action objects; `type` defaults to `button`, `block_id` and `action_ts` are filled in. */
  actions: ({ action_id: string } & Record<string, unknown>)[];
  responseUrl?: string;
  triggerId?: string;
  /** The message holding the buttons (container type `message`). */
  message?: Record<string, unknown>;
  /** The modal or Home tab holding the buttons (container type `view`). */
  view?: Record<string, unknown> & { id?: string; type?: string };
  /** `view.state.values` for actions inside a view, `state.values` for message actions. */
  stateValues?: Record<string, Record<string, unknown>>;
}

export interface ViewSubmissionInput extends AppIdentity {
  team: TeamRef;
  user: UserRef;
  callbackId: string;
  /** `view.state.values`: `{ [block_id]: { [action_id]: { type, value | selected_option | ... } } }`. */
  values?: Record<string, Record<string, unknown>>;
  privateMetadata?: string;
  triggerId?: string;
  /** Fields of the submitted view (e.g. one the app opened: id, blocks, title); the above override it. */
  view?: Record<string, unknown>;
  responseUrls?: unknown[];
}

export interface EventCallbackInput extends AppIdentity {
  team: TeamRef;
  event: { type: string } & Record<string, unknown>;
  eventId?: string;
  /** Unix seconds; default now. */
  eventTime?: number;
  /** The bot user the event is authorized for. */
  botUserId?: string;
}

let counter = 0;
function nextNumber(): number {
  counter += 1;
  return counter;
}

/** The form fields of a slash command, all strings, in Slack's order. */
export function slashCommandFields(input: SlashCommandInput): Record<string, string> {
  const team = teamOf(input.team);
  const user = userOf(input.user);
  const channel = channelOf(input.channel);
  return {
    token: input.verificationToken ?? DEFAULT_APP.verificationToken,
    team_id: team.id,
    team_domain: team.domain,
    channel_id: channel.id,
    channel_name: channel.name,
    user_id: user.id,
    user_name: user.name,
    command: input.command ?? '/viam-usage',
    text: input.text ?? '',
    api_app_id: input.apiAppId ?? DEFAULT_APP.appId,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId ?? untrackedTriggerId(),
  };
}

export function blockActionsPayload(input: BlockActionInput): Record<string, unknown> {
  const team = teamOf(input.team);
  const user = userOf(input.user);
  const channel = input.channel === undefined ? undefined : channelOf(input.channel);
  const actionTs = nowTs();
  const actions = input.actions.map((action) => ({
    type: 'button',
    block_id: `block-${nextNumber()}`,
    action_ts: actionTs,
    ...action,
  }));
  const payload: Record<string, unknown> = {
    type: 'block_actions',
    user: { id: user.id, username: user.name, name: user.name, team_id: team.id },
    api_app_id: input.apiAppId ?? DEFAULT_APP.appId,
    token: input.verificationToken ?? DEFAULT_APP.verificationToken,
    trigger_id: input.triggerId ?? untrackedTriggerId(),
    team: { id: team.id, domain: team.domain },
    enterprise: null,
    is_enterprise_install: false,
    actions,
  };
  if (input.view) {
    payload.container = { type: 'view', view_id: input.view.id ?? 'V0UNKNOWN' };
    payload.view = { ...input.view, state: { values: input.stateValues ?? {} } };
  } else {
    const messageTs = typeof input.message?.ts === 'string' ? input.message.ts : nowTs();
    payload.container = { type: 'message', message_ts: messageTs, channel_id: channel?.id, is_ephemeral: false };
    payload.message = input.message ?? { type: 'message', ts: messageTs, text: '' };
    payload.state = { values: input.stateValues ?? {} };
  }
  if (channel) payload.channel = { id: channel.id, name: channel.name };
  if (input.responseUrl) payload.response_url = input.responseUrl;
  return payload;
}

export function viewSubmissionPayload(input: ViewSubmissionInput): Record<string, unknown> {
  const team = teamOf(input.team);
  const user = userOf(input.user);
  const viewId = typeof input.view?.id === 'string' ? input.view.id : `V0SUBMIT${nextNumber()}`;
  return {
    type: 'view_submission',
    team: { id: team.id, domain: team.domain },
    user: { id: user.id, username: user.name, name: user.name, team_id: team.id },
    api_app_id: input.apiAppId ?? DEFAULT_APP.appId,
    token: input.verificationToken ?? DEFAULT_APP.verificationToken,
    trigger_id: input.triggerId ?? untrackedTriggerId(),
    view: {
      id: viewId,
      team_id: team.id,
      type: 'modal',
      blocks: [],
      hash: `${Math.floor(Date.now() / 1000)}.standin`,
      root_view_id: viewId,
      previous_view_id: null,
      app_id: input.apiAppId ?? DEFAULT_APP.appId,
      external_id: '',
      ...input.view,
      callback_id: input.callbackId,
      private_metadata: input.privateMetadata ?? stringField(input.view, 'private_metadata') ?? '',
      state: { values: input.values ?? {} },
    },
    response_urls: input.responseUrls ?? [],
    enterprise: null,
    is_enterprise_install: false,
  };
}

/** The Events API envelope (`type: event_callback`) around one event. */
export function eventCallbackEnvelope(input: EventCallbackInput): Record<string, unknown> {
  const team = teamOf(input.team);
  const eventTime = input.eventTime ?? Math.floor(Date.now() / 1000);
  return {
    token: input.verificationToken ?? DEFAULT_APP.verificationToken,
    team_id: team.id,
    api_app_id: input.apiAppId ?? DEFAULT_APP.appId,
    event: { event_ts: `${eventTime}.000100`, ...input.event },
    type: 'event_callback',
    event_id: input.eventId ?? `Ev0STANDIN${String(nextNumber()).padStart(4, '0')}`,
    event_time: eventTime,
    authorizations: [
      {
        enterprise_id: null,
        team_id: team.id,
        user_id: input.botUserId ?? 'U0VIAMBILL',
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  };
}

export function appHomeOpenedEvent(input: {
  user: string;
  /** The DM channel between bot and user (`D…`). */
  channel: string;
  tab?: 'home' | 'messages';
  view?: Record<string, unknown>;
}): { type: string } & Record<string, unknown> {
  return {
    type: 'app_home_opened',
    user: input.user,
    channel: input.channel,
    tab: input.tab ?? 'home',
    view: input.view,
  };
}

export function appUninstalledEvent(): { type: string } & Record<string, unknown> {
  return { type: 'app_uninstalled' };
}

/** `oauth` and `bot` list user ids whose tokens were revoked, not tokens. */
export function tokensRevokedEvent(tokens: {
  oauth?: string[];
  bot?: string[];
}): { type: string } & Record<string, unknown> {
  return { type: 'tokens_revoked', tokens: { oauth: tokens.oauth ?? [], bot: tokens.bot ?? [] } };
}

function teamOf(ref: TeamRef): { id: string; domain: string } {
  return typeof ref === 'string' ? { id: ref, domain: 'standin' } : { id: ref.id, domain: ref.domain ?? 'standin' };
}

function userOf(ref: UserRef): { id: string; name: string } {
  return typeof ref === 'string' ? { id: ref, name: ref.toLowerCase() } : { id: ref.id, name: ref.name ?? ref.id };
}

function channelOf(ref: ChannelRef): { id: string; name: string } {
  const id = typeof ref === 'string' ? ref : ref.id;
  const given = typeof ref === 'string' ? undefined : ref.name;
  // Slack's own placeholders for conversations without a name.
  const fallback = id.startsWith('D') ? 'directmessage' : id.startsWith('G') ? 'privategroup' : id.toLowerCase();
  return { id, name: id.startsWith('D') ? 'directmessage' : (given ?? fallback) };
}

function stringField(record: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = record?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** Syntactically valid, but unknown to any stand-in: views.open with it answers `invalid_trigger_id`. */
function untrackedTriggerId(): string {
  return `${Math.floor(Date.now() / 1000)}.0.untracked${nextNumber()}`;
}

function nowTs(): string {
  return `${(Date.now() / 1000).toFixed(6)}`;
}

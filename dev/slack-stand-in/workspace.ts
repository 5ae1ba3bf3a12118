import type { Clock } from './clock';
import type { IdFactory } from './ids';

/**
 * Why a bot token no longer works; the value is the error Slack answers with. `invalid_auth` is what
 * Slack says for a token it does not know at all (e.g. one from a deleted app or garbled in storage);
 * `token_expired` is a rotating token past its 12 hours.
 */
export type TokenState = 'active' | 'token_revoked' | 'account_inactive' | 'invalid_auth' | 'token_expired';

/** What a test may do to a token by hand; expiry comes from the clock (or `expireBotToken`). */
export type RevocationReason = Exclude<TokenState, 'active' | 'token_expired'>;

export interface StandInTeam {
  id: string;
  name: string;
  domain: string;
  botToken: string;
  botUserId: string;
  botId: string;
  /** Bot scopes granted at install; methods answer `missing_scope` without theirs. */
  scopes: string[];
}

export interface StandInUser {
  id: string;
  teamId: string;
  name: string;
  realName: string;
  email: string;
  /** IANA zone; `tz_offset`/`tz_label` are derived from it at answer time so DST is right. */
  tz: string;
  isAdmin: boolean;
  isOwner: boolean;
  isPrimaryOwner: boolean;
  isBot: boolean;
  deleted: boolean;
}

export interface StandInChannel {
  id: string;
  teamId: string;
  name: string;
  isPrivate: boolean;
  isArchived: boolean;
  isIm: boolean;
  isMpim: boolean;
  /** User ids, the bot's user id included when the bot is in the channel. */
  members: string[];
  /** The human on the other side of a DM. */
  imUser?: string;
  created: number;
  creator: string;
}

export interface NewTeam {
  id?: string;
  name: string;
  domain?: string;
  scopes?: string[];
  botToken?: string;
  botUserId?: string;
  botId?: string;
  botName?: string;
}

export interface NewUser {
  id?: string;
  name: string;
  realName?: string;
  email?: string;
  tz?: string;
  isAdmin?: boolean;
  isOwner?: boolean;
  isPrimaryOwner?: boolean;
  isBot?: boolean;
  deleted?: boolean;
}

export interface NewChannel {
  id?: string;
  name: string;
  isPrivate?: boolean;
  isArchived?: boolean;
  /** Human members; the bot is added when `botIsMember` is true. */
  members?: string[];
  botIsMember?: boolean;
}

export type TokenLookup = { kind: 'bot'; team: StandInTeam; state: TokenState } | { kind: 'app' } | { kind: 'unknown' };

export const BOT_NAME = 'viam-billing';

/**
 * Teams, their users and channels, and which token belongs to which team. Read accessors hand out the live records
 * (typed read-only) so a test sees later changes; change them through the methods here.
 */
export class Workspaces {
  private readonly teamsById = new Map<string, StandInTeam>();
  private readonly usersById = new Map<string, StandInUser>();
  private readonly channelsById = new Map<string, StandInChannel>();
  /**
   * Every bot token ever issued, so a revoked or replaced one keeps answering with its own error. A
   * rotating token carries its expiry; a replaced rotating token keeps working until then, as Slack's do.
   */
  private readonly tokens = new Map<string, { teamId: string; state: TokenState; expiresAtMs?: number }>();

  constructor(
    private readonly ids: IdFactory,
    private readonly clock: Clock,
    private readonly appToken: string,
  ) {}

  addTeam(input: NewTeam): Readonly<StandInTeam> {
    const id = input.id ?? this.ids.next('T');
    if (this.teamsById.has(id)) throw new Error(`team ${id} already exists`);
    const team: StandInTeam = {
      id,
      name: input.name,
      domain: input.domain ?? slugify(input.name),
      botToken: input.botToken ?? this.newBotToken(id),
      botUserId: input.botUserId ?? this.ids.next('U'),
      botId: input.botId ?? this.ids.next('B'),
      scopes: [...(input.scopes ?? [])],
    };
    this.teamsById.set(id, team);
    this.tokens.set(team.botToken, { teamId: id, state: 'active' });
    this.addUser(id, {
      id: team.botUserId,
      name: input.botName ?? BOT_NAME,
      realName: 'Viam Billing',
      isBot: true,
      tz: 'America/Los_Angeles',
    });
    return team;
  }

  addUser(teamId: string, input: NewUser): Readonly<StandInUser> {
    this.requireTeam(teamId);
    const id = input.id ?? this.ids.next('U');
    if (this.usersById.has(id)) throw new Error(`user ${id} already exists`);
    // Slack's roles nest: the primary owner is an owner, and every owner is an admin.
    const isPrimaryOwner = input.isPrimaryOwner ?? false;
    const isOwner = input.isOwner ?? isPrimaryOwner;
    const user: StandInUser = {
      id,
      teamId,
      name: input.name,
      realName: input.realName ?? input.name,
      email: input.email ?? `${input.name}@${this.requireTeam(teamId).domain}.example`,
      tz: input.tz ?? 'America/Los_Angeles',
      isAdmin: input.isAdmin ?? isOwner,
      isOwner,
      isPrimaryOwner,
      isBot: input.isBot ?? false,
      deleted: input.deleted ?? false,
    };
    this.usersById.set(id, user);
    return user;
  }

  addChannel(teamId: string, input: NewChannel): Readonly<StandInChannel> {
    const team = this.requireTeam(teamId);
    const isPrivate = input.isPrivate ?? false;
    const id = input.id ?? this.ids.next(isPrivate ? 'G' : 'C');
    if (this.channelsById.has(id)) throw new Error(`channel ${id} already exists`);
    const members = [...(input.members ?? [])];
    for (const member of members) this.requireUserIn(teamId, member);
    if (input.botIsMember && !members.includes(team.botUserId)) members.push(team.botUserId);
    const channel: StandInChannel = {
      id,
      teamId,
      name: input.name.replace(/^#/, ''),
      isPrivate,
      isArchived: input.isArchived ?? false,
      isIm: false,
      isMpim: false,
      members,
      created: Math.floor(this.clock.now() / 1000),
      creator: members.find((member) => member !== team.botUserId) ?? team.botUserId,
    };
    this.channelsById.set(id, channel);
    return channel;
  }

  team(id: string): Readonly<StandInTeam> | undefined {
    return this.teamsById.get(id);
  }

  teams(): Readonly<StandInTeam>[] {
    return [...this.teamsById.values()];
  }

  user(id: string): Readonly<StandInUser> | undefined {
    return this.usersById.get(id);
  }

  usersOf(teamId: string): Readonly<StandInUser>[] {
    return [...this.usersById.values()].filter((user) => user.teamId === teamId);
  }

  channel(id: string): Readonly<StandInChannel> | undefined {
    return this.channelsById.get(id);
  }

  channelsOf(teamId: string): Readonly<StandInChannel>[] {
    return [...this.channelsById.values()].filter((channel) => channel.teamId === teamId);
  }

  /** Slack accepts a channel id, a `#name`/`name`, or a user id (meaning the bot's DM with that user). */
  resolveChannel(teamId: string, reference: string): Readonly<StandInChannel> | undefined {
    const byId = this.channelsById.get(reference);
    if (byId) return byId.teamId === teamId ? byId : undefined;
    const user = this.usersById.get(reference);
    if (user && user.teamId === teamId && !user.isBot) return this.openIm(teamId, user.id).channel;
    const name = reference.replace(/^#/, '');
    return this.channelsOf(teamId).find((channel) => channel.name === name && !channel.isIm);
  }

  /** The bot's DM with a user, created on first use as Slack does for conversations.open. */
  openIm(teamId: string, userId: string): { channel: Readonly<StandInChannel>; existed: boolean } {
    const team = this.requireTeam(teamId);
    const existing = this.channelsOf(teamId).find((channel) => channel.isIm && channel.imUser === userId);
    if (existing) return { channel: existing, existed: true };
    const channel: StandInChannel = {
      id: this.ids.next('D'),
      teamId,
      name: userId,
      isPrivate: true,
      isArchived: false,
      isIm: true,
      isMpim: false,
      members: [team.botUserId, userId],
      imUser: userId,
      created: Math.floor(this.clock.now() / 1000),
      creator: team.botUserId,
    };
    this.channelsById.set(channel.id, channel);
    return { channel, existed: false };
  }

  /** A group DM between the bot and several users. */
  openMpim(teamId: string, userIds: string[]): { channel: Readonly<StandInChannel>; existed: boolean } {
    const team = this.requireTeam(teamId);
    const members = [team.botUserId, ...userIds].sort();
    const existing = this.channelsOf(teamId).find(
      (channel) => channel.isMpim && [...channel.members].sort().join() === members.join(),
    );
    if (existing) return { channel: existing, existed: true };
    const names = members.map((id) => this.usersById.get(id)?.name ?? id);
    const channel: StandInChannel = {
      id: this.ids.next('G'),
      teamId,
      name: `mpdm-${names.join('--')}-1`,
      isPrivate: true,
      isArchived: false,
      isIm: false,
      isMpim: true,
      members,
      created: Math.floor(this.clock.now() / 1000),
      creator: team.botUserId,
    };
    this.channelsById.set(channel.id, channel);
    return { channel, existed: false };
  }

  addChannelMember(channelId: string, userId: string): void {
    const channel = this.requireChannel(channelId);
    this.requireUserIn(channel.teamId, userId);
    if (!channel.members.includes(userId)) channel.members.push(userId);
  }

  removeChannelMember(channelId: string, userId: string): void {
    const channel = this.requireChannel(channelId);
    channel.members = channel.members.filter((member) => member !== userId);
  }

  setArchived(channelId: string, archived = true): void {
    this.requireChannel(channelId).isArchived = archived;
  }

  setScopes(teamId: string, scopes: string[]): void {
    this.requireTeam(teamId).scopes = [...scopes];
  }

  /** The team's current bot token stops working with `reason` as the error. */
  revokeToken(teamId: string, reason: RevocationReason = 'token_revoked'): void {
    this.setCurrentTokenState(teamId, reason);
  }

  restoreToken(teamId: string): void {
    this.setCurrentTokenState(teamId, 'active');
  }

  /** Reinstall after revocation: Slack hands out a new bot token; the old one stays dead. */
  issueNewBotToken(teamId: string): string {
    const team = this.requireTeam(teamId);
    team.botToken = this.newBotToken(teamId);
    this.tokens.set(team.botToken, { teamId, state: 'active' });
    return team.botToken;
  }

  /**
   * Token rotation: the team's bot token becomes a new one that expires `lifetimeMs` from now. The
   * token it replaces keeps working until its own expiry (or for good, if it never expired).
   */
  issueExpiringBotToken(teamId: string, lifetimeMs: number): { token: string; expiresAtMs: number } {
    const team = this.requireTeam(teamId);
    const expiresAtMs = this.clock.now() + lifetimeMs;
    team.botToken = this.newBotToken(teamId, 'xoxe.xoxb');
    this.tokens.set(team.botToken, { teamId, state: 'active', expiresAtMs });
    return { token: team.botToken, expiresAtMs };
  }

  /** The team's current bot token expires now, as if its 12 hours had passed. */
  expireBotToken(teamId: string): void {
    const team = this.requireTeam(teamId);
    const entry = this.tokens.get(team.botToken);
    if (entry) entry.expiresAtMs = this.clock.now();
  }

  tokenState(teamId: string): TokenState {
    const team = this.requireTeam(teamId);
    const entry = this.tokens.get(team.botToken);
    return entry ? this.stateOf(entry) : 'active';
  }

  lookupToken(token: string): TokenLookup {
    if (token === this.appToken) return { kind: 'app' };
    const entry = this.tokens.get(token);
    const team = entry ? this.teamsById.get(entry.teamId) : undefined;
    if (!entry || !team) return { kind: 'unknown' };
    return { kind: 'bot', team, state: this.stateOf(entry) };
  }

  private setCurrentTokenState(teamId: string, state: TokenState): void {
    const team = this.requireTeam(teamId);
    const expiresAtMs = this.tokens.get(team.botToken)?.expiresAtMs;
    this.tokens.set(team.botToken, { teamId, state, ...(expiresAtMs === undefined ? {} : { expiresAtMs }) });
  }

  private stateOf(entry: { state: TokenState; expiresAtMs?: number }): TokenState {
    if (entry.state === 'active' && entry.expiresAtMs !== undefined && this.clock.now() >= entry.expiresAtMs) {
      return 'token_expired';
    }
    return entry.state;
  }

  private newBotToken(teamId: string, prefix = 'xoxb'): string {
    // Deliberately not Slack's numeric token shape, so secret scanners and humans never take it for a real one.
    return `${prefix}-standin-${teamId.toLowerCase()}-${this.ids.count('bot-token')}-not-a-real-token`;
  }

  private requireTeam(teamId: string): StandInTeam {
    const team = this.teamsById.get(teamId);
    if (!team) throw new Error(`unknown team ${teamId}`);
    return team;
  }

  private requireChannel(channelId: string): StandInChannel {
    const channel = this.channelsById.get(channelId);
    if (!channel) throw new Error(`unknown channel ${channelId}`);
    return channel;
  }

  private requireUserIn(teamId: string, userId: string): void {
    const user = this.usersById.get(userId);
    if (!user || user.teamId !== teamId) throw new Error(`user ${userId} is not in team ${teamId}`);
  }
}

function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

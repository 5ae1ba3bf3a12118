import type { Clock } from '../clock';
import type { IdFactory } from '../ids';
import { MANIFEST_BOT_SCOPES } from '../seed';
import type { MethodAnswer, MethodCall, MethodSpec, StandInState } from './context';
import { fail, ok, stringArg } from './context';

/** Slack's OAuth codes are single-use and expire after ten minutes. */
export const OAUTH_CODE_LIFETIME_MS = 10 * 60 * 1000;

/** Who installs the app where, decided by the test before it drives the redirect. */
export interface PendingInstall {
  /** Reinstall into an existing team when given; otherwise a new team is created. */
  teamId?: string;
  teamName?: string;
  installerUserId?: string;
  installerName?: string;
  scopes?: string[];
  /** When set, oauth.v2.access must be called with the same redirect_uri. */
  redirectUri?: string;
  /**
   * The app has token rotation on: the install hands over an expiring token and a refresh token.
   * Default: whatever the team had (off for a new team).
   */
  tokenRotation?: boolean;
}

interface IssuedCode extends PendingInstall {
  issuedAt: number;
  used: boolean;
}

export class OAuthCodes {
  private readonly codes = new Map<string, IssuedCode>();

  constructor(
    private readonly ids: IdFactory,
    private readonly clock: Clock,
  ) {}

  issue(install: PendingInstall = {}): string {
    const code = `${this.ids.count('oauth-code')}.${this.clock.now()}.standin-code`;
    this.codes.set(code, { ...install, issuedAt: this.clock.now(), used: false });
    return code;
  }

  redeem(code: string | undefined): IssuedCode | undefined {
    const issued = code ? this.codes.get(code) : undefined;
    if (!issued || issued.used || this.clock.now() - issued.issuedAt >= OAUTH_CODE_LIFETIME_MS) return undefined;
    issued.used = true;
    return issued;
  }
}

export const oauthMethods: Record<string, MethodSpec> = {
  'oauth.v2.access': { auth: 'none', handle: oauthV2Access },
};

function oauthV2Access({ args, headers, state }: MethodCall): MethodAnswer {
  const basic = basicCredentials(headers.authorization);
  const clientId = stringArg(args, 'client_id') ?? basic?.id;
  const clientSecret = stringArg(args, 'client_secret') ?? basic?.secret;
  if (clientId !== state.app.clientId) return fail('invalid_client_id');
  if (clientSecret !== state.app.clientSecret) return fail('bad_client_secret');
  if (stringArg(args, 'grant_type') === 'refresh_token') return refresh(state, stringArg(args, 'refresh_token'));
  const issued = state.oauthCodes.redeem(stringArg(args, 'code'));
  if (!issued) return fail('invalid_code');
  if (issued.redirectUri !== undefined && stringArg(args, 'redirect_uri') !== issued.redirectUri) {
    return fail('bad_redirect_uri');
  }

  const { workspaces } = state;
  const scopes = issued.scopes ?? [...MANIFEST_BOT_SCOPES];
  const existing = issued.teamId ? workspaces.team(issued.teamId) : undefined;
  const team = existing ?? workspaces.addTeam({ id: issued.teamId, name: issued.teamName ?? 'Stand-in Workspace' });
  workspaces.setScopes(team.id, scopes);
  // With rotation every install is a new grant. Without it a reinstall keeps a working bot token and
  // a revoked one is replaced, as Slack does.
  const rotation =
    (issued.tokenRotation ?? state.tokenRotation.rotates(team.id)) ? state.tokenRotation.grant(team.id) : undefined;
  if (!rotation && workspaces.tokenState(team.id) !== 'active') workspaces.issueNewBotToken(team.id);
  const installer =
    (issued.installerUserId ? workspaces.user(issued.installerUserId) : undefined) ??
    workspaces.addUser(team.id, {
      id: issued.installerUserId,
      name: issued.installerName ?? 'installer',
      isPrimaryOwner: !existing,
      isAdmin: true,
    });
  if (!existing) workspaces.addChannel(team.id, { name: 'general', members: [installer.id] });

  return ok({
    app_id: state.app.appId,
    authed_user: { id: installer.id },
    scope: scopes.join(','),
    token_type: 'bot',
    access_token: team.botToken,
    bot_user_id: team.botUserId,
    ...(rotation ? { refresh_token: rotation.refreshToken, expires_in: rotation.expiresIn } : {}),
    team: { id: team.id, name: team.name },
    enterprise: null,
    is_enterprise_install: false,
  });
}

/**
 * `grant_type=refresh_token`: a new access token (12 hours) and a new refresh token. The refresh
 * token given is revoked by this use, so any second use, however close in time, is refused.
 */
function refresh(state: StandInState, refreshToken: string | undefined): MethodAnswer {
  const rotation = state.tokenRotation.redeem(refreshToken);
  const team = rotation ? state.workspaces.team(rotation.teamId) : undefined;
  if (!rotation || !team) return fail('invalid_refresh_token');
  return ok({
    app_id: state.app.appId,
    scope: team.scopes.join(','),
    token_type: 'bot',
    access_token: rotation.accessToken,
    bot_user_id: team.botUserId,
    refresh_token: rotation.refreshToken,
    expires_in: rotation.expiresIn,
    team: { id: team.id, name: team.name },
    enterprise: null,
    is_enterprise_install: false,
  });
}

/** Slack also accepts the client credentials as HTTP Basic auth. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

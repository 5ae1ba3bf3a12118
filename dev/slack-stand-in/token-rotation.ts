import type { IdFactory } from './ids';
import type { Workspaces } from './workspace';

/** Slack's rotating access tokens last 12 hours (oauth.v2.access answers `expires_in: 43200`). */
export const ROTATING_TOKEN_LIFETIME_SECONDS = 43_200;

/** What an install or a refresh hands the app when token rotation is on. */
export interface RotatingGrant {
  teamId: string;
  accessToken: string;
  refreshToken: string;
  /** Seconds, as oauth.v2.access reports it. */
  expiresIn: number;
}

/**
 * Token rotation as Slack does it, strictly: every grant is a new expiring access token and a new
 * refresh token, and a refresh token works once. Redeeming it revokes it, so a second use (two
 * replicas refreshing at the same moment with the same stored token) is refused.
 */
export class TokenRotation {
  /** Every refresh token ever issued, so a spent one is told apart from one never issued (both are refused). */
  private readonly refreshTokens = new Map<string, { teamId: string; spent: boolean }>();

  constructor(
    private readonly ids: IdFactory,
    private readonly workspaces: Workspaces,
  ) {}

  /** Turns rotation on for a team (or, at a reinstall, starts it over): a fresh expiring token and refresh token. */
  grant(teamId: string): RotatingGrant {
    const { token } = this.workspaces.issueExpiringBotToken(teamId, ROTATING_TOKEN_LIFETIME_SECONDS * 1000);
    const refreshToken = `xoxe-1-standin-${teamId.toLowerCase()}-${this.ids.count('refresh-token')}-not-a-real-token`;
    this.refreshTokens.set(refreshToken, { teamId, spent: false });
    return { teamId, accessToken: token, refreshToken, expiresIn: ROTATING_TOKEN_LIFETIME_SECONDS };
  }

  /** The grant a refresh token buys, once; undefined when it was never issued or is already spent. */
  redeem(refreshToken: string | undefined): RotatingGrant | undefined {
    const entry = refreshToken === undefined ? undefined : this.refreshTokens.get(refreshToken);
    if (!entry || entry.spent || !this.workspaces.team(entry.teamId)) return undefined;
    entry.spent = true;
    return this.grant(entry.teamId);
  }

  /** True once a team has been given a rotating token. */
  rotates(teamId: string): boolean {
    for (const entry of this.refreshTokens.values()) if (entry.teamId === teamId) return true;
    return false;
  }
}

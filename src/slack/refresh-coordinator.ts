import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Installation, InstallationQuery } from '@slack/bolt';
import { errorName, type Logger } from '../logger';
import { type Claims, type WorkspaceRef, workspaceScopedKey } from '../store';
import { installationRef } from './installation-store';
import { type RefreshedToken, TokenRefreshError, type TokenRefresher } from './token-refresh';

/**
 * One refresh of a rotating bot token at a time, across replicas. Slack's refresh tokens work once,
 * and @slack/oauth's authorize refreshes on every replica that notices the token is due, so two
 * replicas would spend the same refresh token and one of them (or both, for the token they then
 * save) would be left with a refused one. Here the refresh of an installation is claimed in the
 * store first: the winner reads the installation again under the claim, refreshes it and saves the
 * new token; the others keep using the current token while it still has time to live, or else wait
 * (polling the store, bounded) until the new token is saved or the claim is gone.
 */

export type SlackInstallation = Installation<'v1' | 'v2', boolean>;

/** What the coordinator reads and writes; KeyvInstallationStore is one. */
export interface InstallationAccess {
  fetchInstallation(query: InstallationQuery<boolean>): Promise<SlackInstallation>;
  storeInstallation(installation: SlackInstallation): Promise<void>;
}

/** @slack/oauth's rule, kept: a rotating token is refreshed once it has two hours or less to live. */
export const REFRESH_WITHIN_SECONDS = 2 * 60 * 60;
/** Less than this left and a token is not handed out: it could expire in the caller's hands. */
export const USABLE_FOR_SECONDS = 60;

const DEFAULT_WAIT_MS = 20_000;
const DEFAULT_POLL_MS = 100;
/** Longer than a refresh call can take (its 10 s timeout) plus the save, so a live winner is never overtaken. */
const DEFAULT_CLAIM_TTL_MS = 60_000;

/** The wait for another replica's refresh ran out. Its message is the one sentence the log gets. */
export class TokenRefreshTimeoutError extends Error {
  override readonly name = 'TokenRefreshTimeoutError';
  constructor(waitMs: number) {
    super(
      `Another replica has been refreshing this workspace's Slack bot token for over ${Math.round(waitMs / 1000)} s without saving a new one, so this request was dropped; the next one tries again.`,
    );
  }
}

/** The token is past use and Slack would not refresh it. */
export class TokenUnavailableError extends Error {
  override readonly name = 'TokenUnavailableError';
  constructor(readonly code: string) {
    super(
      code === 'unreachable'
        ? "This workspace's Slack bot token has expired and Slack could not be reached to refresh it; the next request tries again."
        : `This workspace's Slack bot token has expired and Slack refused to refresh it (${code}); reinstall the app in the workspace.`,
    );
  }
}

export interface TokenRefreshCoordinatorOptions {
  claims: Claims;
  installations: InstallationAccess;
  refresher: TokenRefresher;
  logger: Logger;
  now?: () => Date;
  /** Names this process in claims; default host, pid and a random suffix. */
  owner?: string;
  /** How long a replica waits for another's refresh. Default 20 s. */
  waitMs?: number;
  /** How often it looks at the store meanwhile. Default 100 ms. */
  pollMs?: number;
  claimTtlMs?: number;
}

export class TokenRefreshCoordinator {
  /** One flight per installation in this process: concurrent requests share it instead of polling. */
  private readonly flights = new Map<string, Promise<SlackInstallation>>();
  /**
   * A refreshed installation whose save failed, by claim key, with the refresh token it spent: the
   * next request saves it instead of spending that refresh token again.
   */
  private readonly unsaved = new Map<string, { spent: string; installation: SlackInstallation }>();
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly owner: string;
  private readonly waitMs: number;
  private readonly pollMs: number;
  private readonly claimTtlMs: number;

  constructor(private readonly options: TokenRefreshCoordinatorOptions) {
    this.logger = options.logger.child({ component: 'token-refresh' });
    this.now = options.now ?? (() => new Date());
    this.owner = options.owner ?? `${hostname().slice(0, 60)}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
    this.pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    this.claimTtlMs = options.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS;
  }

  /** `installation` as it is, or with its bot token refreshed (once across replicas) when that is due. */
  fresh(query: InstallationQuery<boolean>, installation: SlackInstallation): Promise<SlackInstallation> {
    if (!this.due(installation)) return Promise.resolve(installation);
    const ref = installationRef(query);
    const key = workspaceScopedKey(ref, 'token-refresh');
    const running = this.flights.get(key);
    if (running) return running;
    const flight = this.settle(ref, key, query, installation).finally(() => this.flights.delete(key));
    this.flights.set(key, flight);
    return flight;
  }

  private async settle(
    ref: WorkspaceRef,
    key: string,
    query: InstallationQuery<boolean>,
    seen: SlackInstallation,
  ): Promise<SlackInstallation> {
    const deadline = this.now().getTime() + this.waitMs;
    let current = seen;
    for (;;) {
      if (await this.takeClaim(key)) return this.refreshUnderClaim(ref, key, query);
      // Another replica is refreshing: a token with time to live serves this request as it is.
      if (this.usable(current)) return current;
      current = await this.awaitOther(ref, key, query, current, deadline);
      if (!this.due(current)) return current;
      // The claim went without a new token (its owner failed or crashed): try to take it over.
    }
  }

  private async takeClaim(key: string): Promise<boolean> {
    const { claims } = this.options;
    if (await claims.claim(key, this.owner, this.claimTtlMs)) return true;
    // A claim of ours kept after a failed save (see refreshUnderClaim) is still ours to finish.
    return this.unsaved.has(key) && (await claims.get(key))?.owner === this.owner;
  }

  private async refreshUnderClaim(
    ref: WorkspaceRef,
    key: string,
    query: InstallationQuery<boolean>,
  ): Promise<SlackInstallation> {
    let release = true;
    try {
      // Read again under the claim: a replica that refreshed between our read and our claim has saved its token.
      const current = await this.options.installations.fetchInstallation(query);
      const spent = current.bot?.refreshToken;
      if (!this.due(current) || spent === undefined) return current;
      const kept = this.unsaved.get(key);
      this.unsaved.delete(key);
      let refreshed: SlackInstallation;
      if (kept?.spent === spent) {
        refreshed = kept.installation;
      } else {
        const token = await this.spend(ref, spent, current);
        if (!token) return current;
        refreshed = withToken(current, token);
      }
      try {
        await this.options.installations.storeInstallation(refreshed);
      } catch (error) {
        // The old refresh token is spent. Keeping the claim (it expires by itself) stops other replicas
        // from spending it again meanwhile; the next request here saves the new token instead.
        this.unsaved.set(key, { spent, installation: refreshed });
        release = false;
        this.logger.error(
          { team: ref.teamId, enterprise: ref.enterpriseId, err: errorName(error) },
          'the refreshed Slack bot token could not be saved; this replica uses it and saves it again on the next request',
        );
      }
      return refreshed;
    } finally {
      if (release) {
        await this.options.claims.release(key, this.owner).catch((error: unknown) => {
          this.logger.warn(
            { err: errorName(error) },
            'could not release the token refresh claim; it expires by itself',
          );
        });
      }
    }
  }

  /**
   * The new token, or undefined when Slack would not refresh but the current token still serves
   * (as @slack/oauth does, the refresh is tried again on a later request).
   */
  private async spend(
    ref: WorkspaceRef,
    refreshToken: string,
    current: SlackInstallation,
  ): Promise<RefreshedToken | undefined> {
    const where = { team: ref.teamId, enterprise: ref.enterpriseId };
    try {
      const token = await this.options.refresher.refresh(refreshToken);
      this.logger.info(
        { ...where, expiresAt: new Date(token.expiresAt * 1000).toISOString() },
        'slack bot token refreshed',
      );
      return token;
    } catch (error) {
      const code = error instanceof TokenRefreshError ? error.code : 'unexpected_error';
      if (this.usable(current)) {
        this.logger.warn(
          { ...where, code },
          'slack bot token refresh failed; the current token serves until a later try',
        );
        return undefined;
      }
      const failure = new TokenUnavailableError(code);
      this.logger.error({ ...where, code }, failure.message);
      throw failure;
    }
  }

  /** Polls the store until the token changes or the claim is gone; throws when the deadline passes first. */
  private async awaitOther(
    ref: WorkspaceRef,
    key: string,
    query: InstallationQuery<boolean>,
    seen: SlackInstallation,
    deadline: number,
  ): Promise<SlackInstallation> {
    const { installations, claims } = this.options;
    for (;;) {
      if (this.now().getTime() >= deadline) {
        const failure = new TokenRefreshTimeoutError(this.waitMs);
        this.logger.error({ team: ref.teamId, enterprise: ref.enterpriseId }, failure.message);
        throw failure;
      }
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
      const current = await installations.fetchInstallation(query);
      if (current.bot?.token !== seen.bot?.token) return current;
      // The winner saves before it releases, so with the claim gone the read above already holds its token.
      if (!(await claims.get(key))) return current;
    }
  }

  private due(installation: SlackInstallation): boolean {
    const bot = installation.bot;
    if (!bot?.refreshToken || bot.expiresAt === undefined) return false;
    return bot.expiresAt - this.nowSeconds() <= REFRESH_WITHIN_SECONDS;
  }

  private usable(installation: SlackInstallation): boolean {
    const expiresAt = installation.bot?.expiresAt;
    return expiresAt === undefined || expiresAt - this.nowSeconds() > USABLE_FOR_SECONDS;
  }

  private nowSeconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }
}

function withToken(installation: SlackInstallation, token: RefreshedToken): SlackInstallation {
  const bot = installation.bot;
  if (!bot) return installation;
  return {
    ...installation,
    bot: { ...bot, token: token.token, refreshToken: token.refreshToken, expiresAt: token.expiresAt },
  };
}

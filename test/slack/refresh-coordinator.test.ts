/**
 * One refresh of a rotating bot token across replicas. Each "replica" here is its own store opened
 * on the same backend (two `openStore` calls) with its own OAuth mode and authorize, against the
 * Slack stand-in, whose refresh tokens work exactly once. SQLite always; Redis and PostgreSQL when
 * REDIS_URL / DATABASE_URL are set.
 */
import { HTTPReceiver, type Installation } from '@slack/bolt';
import { DEFAULT_APP, type RotatingGrant, SEED, type SlackStandIn, startSlackStandIn } from '../../dev/slack-stand-in';
import type { OAuthConfig } from '../../src/config';
import { installationAuthorize } from '../../src/slack/authorize';
import { boltLogger } from '../../src/slack/bolt-logger';
import { KeyvInstallationStore } from '../../src/slack/installation-store';
import { createOAuthMode, type OAuthMode } from '../../src/slack/oauth-mode';
import { oauthReceiverOptions } from '../../src/slack/oauth-receiver';
import {
  TokenRefreshCoordinator,
  TokenRefreshTimeoutError,
  TokenUnavailableError,
} from '../../src/slack/refresh-coordinator';
import { BOT_SCOPES } from '../../src/slack/scopes';
import { SlackTokenRefresher } from '../../src/slack/token-refresh';
import { workspaceScopedKey } from '../../src/store';
import { clientFor } from '../dev/slack-stand-in/web-client';
import { describeEachBackend, useBackend } from '../store/support';

const TEAM = { teamId: SEED.team.id };
const QUERY = { teamId: TEAM.teamId, enterpriseId: undefined, isEnterpriseInstall: false };
const CLAIM_KEY = workspaceScopedKey(TEAM, 'token-refresh');
const OAUTH: OAuthConfig = {
  clientId: DEFAULT_APP.clientId,
  clientSecret: DEFAULT_APP.clientSecret,
  stateSecret: 'state-secret-for-tests',
  installPath: '/slack/install',
  redirectUriPath: '/slack/oauth_redirect',
};

function installation(grant: RotatingGrant, expiresAt: number): Installation<'v2', boolean> {
  return {
    team: { id: TEAM.teamId, name: SEED.team.name },
    enterprise: undefined,
    user: { id: SEED.users.ada, token: undefined, scopes: undefined },
    bot: {
      token: grant.accessToken,
      refreshToken: grant.refreshToken,
      expiresAt,
      scopes: [...BOT_SCOPES],
      id: SEED.botId,
      userId: SEED.botUserId,
    },
    appId: DEFAULT_APP.appId,
    tokenType: 'bot',
    isEnterpriseInstall: false,
    authVersion: 'v2',
  };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

describeEachBackend('one token refresh across replicas', (backend) => {
  const context = useBackend(backend);
  let slack: SlackStandIn;

  beforeEach(async () => {
    slack = await startSlackStandIn();
  });

  afterEach(async () => {
    await slack.stop();
  });

  const refreshCalls = () => slack.calls('oauth.v2.access').filter((call) => call.args.grant_type === 'refresh_token');

  async function replica(name: string): Promise<OAuthMode> {
    const store = await context.open();
    return createOAuthMode({
      oauth: OAUTH,
      signingSecret: DEFAULT_APP.signingSecret,
      eventsPath: '/slack/events',
      slackApi: { slackApiUrl: slack.url },
      store,
      logger: context.log.logger.child({ replica: name }),
    });
  }

  /** A replica whose wait for another's refresh is short, to see it run out. */
  async function impatientReplica(waitMs: number) {
    const store = await context.open();
    const installations = new KeyvInstallationStore({ store, logger: context.log.logger });
    const refreshes = new TokenRefreshCoordinator({
      claims: store.claims,
      installations,
      refresher: new SlackTokenRefresher({
        ...OAUTH,
        slackApi: { slackApiUrl: slack.url },
        logger: context.log.logger,
      }),
      logger: context.log.logger,
      waitMs,
    });
    return { store, authorize: installationAuthorize({ installations, refreshes }) };
  }

  /** Every token of the test, none of which may be in the log. */
  async function expectNoSecretsLogged(grant: RotatingGrant, mode: OAuthMode): Promise<void> {
    const saved = await mode.installations.fetchInstallation(QUERY);
    const secrets = [
      grant.accessToken,
      grant.refreshToken,
      saved.bot?.token as string,
      saved.bot?.refreshToken as string,
      DEFAULT_APP.clientSecret,
    ];
    const text = context.log.text();
    expect(text.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(text.includes(secret)).toBe(false);
  }

  it('refreshes an expired token once when two replicas hit it at the same moment; both get the new one', async () => {
    const [a, b] = [await replica('a'), await replica('b')];
    const grant = slack.startTokenRotation(TEAM.teamId);
    slack.workspace.expireBotToken(TEAM.teamId);
    await a.installations.storeInstallation(installation(grant, nowSeconds() - 5));
    // The refresh takes a while, so the second replica surely finds the first one's claim.
    slack.setLatency('oauth.v2.access', 300);

    const [onA, onB] = await Promise.all([a.authorize(QUERY), b.authorize(QUERY)]);

    expect(refreshCalls()).toEqual([
      expect.objectContaining({ ok: true, args: expect.objectContaining({ refresh_token: grant.refreshToken }) }),
    ]);
    const rotated = slack.defaultTeam.botToken;
    expect(rotated === grant.accessToken).toBe(false);
    expect(onA.botToken === rotated && onB.botToken === rotated).toBe(true);
    for (const token of [onA.botToken, onB.botToken]) {
      await expect(clientFor(slack, token).auth.test()).resolves.toMatchObject({ ok: true, team_id: TEAM.teamId });
    }
    // Both replicas now read the same saved token, and no refresh is due any more.
    const [again] = await Promise.all([b.authorize(QUERY), a.authorize(QUERY)]);
    expect(again.botToken === rotated).toBe(true);
    expect(refreshCalls()).toHaveLength(1);
    expect(context.log.entries().filter((entry) => entry.msg === 'slack bot token refreshed')).toHaveLength(1);
    expect(await context.open().then((store) => store.claims.get(CLAIM_KEY))).toBeUndefined();
    await expectNoSecretsLogged(grant, a);
  });

  it('refreshes an expiring token once; the other replica serves with the current one meanwhile', async () => {
    const [a, b] = [await replica('a'), await replica('b')];
    const grant = slack.startTokenRotation(TEAM.teamId);
    await a.installations.storeInstallation(installation(grant, nowSeconds() + 3600));
    slack.setLatency('oauth.v2.access', 300);

    const results = await Promise.all([a.authorize(QUERY), b.authorize(QUERY)]);

    expect(refreshCalls()).toHaveLength(1);
    expect(refreshCalls()[0]?.ok).toBe(true);
    for (const result of results) {
      expect(result.botToken === slack.defaultTeam.botToken || result.botToken === grant.accessToken).toBe(true);
      await expect(clientFor(slack, result.botToken).auth.test()).resolves.toMatchObject({ ok: true });
    }
    const saved = await b.installations.fetchInstallation(QUERY);
    expect(saved.bot?.token === slack.defaultTeam.botToken).toBe(true);
    expect(saved.bot?.expiresAt).toBeGreaterThan(nowSeconds() + 43_000);
    await expectNoSecretsLogged(grant, a);
  });

  it('still refreshes once under many requests and background clients on both replicas', async () => {
    const [a, b] = [await replica('a'), await replica('b')];
    const grant = slack.startTokenRotation(TEAM.teamId);
    slack.workspace.expireBotToken(TEAM.teamId);
    await a.installations.storeInstallation(installation(grant, nowSeconds() - 5));
    slack.setLatency('oauth.v2.access', 100);

    const tokens = await Promise.all([
      ...[a, b, a, b, a, b].map((mode) => mode.authorize(QUERY).then((result) => result.botToken)),
      ...[a, b].map((mode) => mode.clients.clientFor(TEAM).then((client) => client.token)),
    ]);

    expect(refreshCalls()).toHaveLength(1);
    expect(new Set(tokens)).toEqual(new Set([slack.defaultTeam.botToken]));
    await expect((await b.clients.clientFor(TEAM)).auth.test()).resolves.toMatchObject({ ok: true });
    // The saved refresh token is the live one: it works, once.
    const saved = await a.installations.fetchInstallation(QUERY);
    await expect(
      clientFor(slack, undefined).oauth.v2.access({
        client_id: DEFAULT_APP.clientId,
        client_secret: DEFAULT_APP.clientSecret,
        grant_type: 'refresh_token',
        refresh_token: saved.bot?.refreshToken as string,
      }),
    ).resolves.toMatchObject({ ok: true });
  });

  it('gives up waiting for a refresh that never ends with one sentence in the log, and spends nothing', async () => {
    const grant = slack.startTokenRotation(TEAM.teamId);
    slack.workspace.expireBotToken(TEAM.teamId);
    const { store, authorize } = await impatientReplica(400);
    await new KeyvInstallationStore({ store, logger: context.log.logger }).storeInstallation(
      installation(grant, nowSeconds() - 5),
    );
    // A replica that claimed the refresh and then hangs.
    expect(await store.claims.claim(CLAIM_KEY, 'stuck-replica', 60_000)).toBe(true);

    const failure = await authorize(QUERY).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(TokenRefreshTimeoutError);
    expect(refreshCalls()).toEqual([]);
    const errors = context.log.entries().filter((entry) => entry.level === 50);
    expect(errors).toEqual([expect.objectContaining({ team: TEAM.teamId, msg: (failure as Error).message })]);
    expect((failure as Error).message).toMatch(/^Another replica has been refreshing .* the next one tries again\.$/);
    for (const secret of [grant.accessToken, grant.refreshToken]) {
      expect(context.log.text().includes(secret) || (failure as Error).message.includes(secret)).toBe(false);
    }
  });

  it('takes the refresh over when the replica that claimed it goes away without a new token', async () => {
    const grant = slack.startTokenRotation(TEAM.teamId);
    slack.workspace.expireBotToken(TEAM.teamId);
    const { store, authorize } = await impatientReplica(10_000);
    await new KeyvInstallationStore({ store, logger: context.log.logger }).storeInstallation(
      installation(grant, nowSeconds() - 5),
    );
    // A replica that crashed after claiming: its claim runs out by itself.
    expect(await store.claims.claim(CLAIM_KEY, 'crashed-replica', 500)).toBe(true);

    const started = Date.now();
    const result = await authorize(QUERY);

    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(refreshCalls()).toHaveLength(1);
    expect(result.botToken === slack.defaultTeam.botToken).toBe(true);
    await expect(clientFor(slack, result.botToken).auth.test()).resolves.toMatchObject({ ok: true });
  });

  it('with a refresh token Slack refuses: an expired token fails with a sentence, an expiring one keeps serving', async () => {
    const mode = await replica('a');
    const grant = slack.startTokenRotation(TEAM.teamId);
    // Spent elsewhere already (e.g. by an old release of the app that raced): Slack refuses it now.
    await clientFor(slack, undefined).oauth.v2.access({
      client_id: DEFAULT_APP.clientId,
      client_secret: DEFAULT_APP.clientSecret,
      grant_type: 'refresh_token',
      refresh_token: grant.refreshToken,
    });

    await mode.installations.storeInstallation(installation(grant, nowSeconds() + 3600));
    const serving = await mode.authorize(QUERY);
    expect(serving.botToken === grant.accessToken).toBe(true);
    expect(context.log.entries()).toContainEqual(
      expect.objectContaining({ level: 40, code: 'invalid_refresh_token', team: TEAM.teamId }),
    );

    await mode.installations.storeInstallation(installation(grant, nowSeconds() - 5));
    const failure = await mode.authorize(QUERY).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TokenUnavailableError);
    expect((failure as Error).message).toContain('reinstall the app');
    expect(context.log.entries()).toContainEqual(
      expect.objectContaining({ level: 50, msg: (failure as Error).message }),
    );
    expect(context.log.text().includes(grant.refreshToken)).toBe(false);
    // The failed refreshes left no claim behind.
    expect(await mode.installations.fetchInstallation(QUERY).then(() => true)).toBe(true);
    expect(await (await context.open()).claims.get(CLAIM_KEY)).toBeUndefined();
  });

  it('is needed: @slack/oauth’s own authorize on two replicas spends the same refresh token twice', async () => {
    const grant = slack.startTokenRotation(TEAM.teamId);
    slack.workspace.expireBotToken(TEAM.teamId);
    const providers = await Promise.all(
      ['a', 'b'].map(async () => {
        const store = await context.open();
        const receiver = new HTTPReceiver({
          signingSecret: DEFAULT_APP.signingSecret,
          logger: boltLogger(context.log.logger, { hide: [DEFAULT_APP.clientSecret] }),
          ...oauthReceiverOptions({
            oauth: OAUTH,
            installationStore: new KeyvInstallationStore({ store, logger: context.log.logger }),
            slackApi: { slackApiUrl: slack.url },
          }),
        });
        return receiver.installer as NonNullable<typeof receiver.installer>;
      }),
    );
    const [first] = providers;
    const firstStore = await context.open();
    await new KeyvInstallationStore({ store: firstStore, logger: context.log.logger }).storeInstallation(
      installation(grant, nowSeconds() - 5),
    );
    slack.setLatency('oauth.v2.access', 300);

    await Promise.all(providers.map((provider) => provider.authorize(QUERY)));

    expect(first).toBeDefined();
    expect(refreshCalls().map((call) => call.error ?? 'ok')).toEqual(['ok', 'invalid_refresh_token']);
  });
});

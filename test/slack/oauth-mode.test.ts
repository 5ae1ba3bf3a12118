/**
 * OAuth mode's background clients against the Slack stand-in, through our authorize and a real
 * store: token rotation (refreshed with the stand-in's single-use refresh tokens and saved again),
 * org-wide installs, the short cache and what happens once an install is gone.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Installation, webApi } from '@slack/bolt';
import { DEFAULT_APP, SEED, type SlackStandIn, startSlackStandIn } from '../../dev/slack-stand-in';
import { createOAuthMode, type OAuthMode } from '../../src/slack/oauth-mode';
import { BOT_SCOPES } from '../../src/slack/scopes';
import { WorkspaceClients } from '../../src/slack/workspace-clients';
import { openStore, type Store } from '../../src/store';
import { BACKENDS, type CapturedLog, captureLog, newEncryptionKey, type RawBackend } from '../store/support';
import { takeTurnsOnSharedServers } from '../support/shared-servers';

// Redis and PostgreSQL hold the app's one namespace: files using them take turns.
takeTurnsOnSharedServers();

const TEAM = { teamId: SEED.team.id };

const BOT = { token: SEED.botToken, scopes: [...BOT_SCOPES], id: SEED.botId, userId: SEED.botUserId };

function installation(overrides: Partial<Installation<'v2', boolean>> = {}): Installation<'v2', boolean> {
  return {
    team: { id: TEAM.teamId, name: SEED.team.name },
    enterprise: undefined,
    user: { id: SEED.users.ada, token: undefined, scopes: undefined },
    bot: BOT,
    appId: DEFAULT_APP.appId,
    tokenType: 'bot',
    isEnterpriseInstall: false,
    authVersion: 'v2',
    ...overrides,
  };
}

describe('OAuth mode clients', () => {
  let slack: SlackStandIn;
  let store: Store;
  let dataDir: string;
  let log: CapturedLog;
  let mode: OAuthMode;

  beforeEach(async () => {
    slack = await startSlackStandIn();
    dataDir = await mkdtemp(path.join(tmpdir(), 'viam-billing-oauth-'));
    log = captureLog();
    store = await openStore({ dataDir, encryptionKey: newEncryptionKey(), logger: log.logger });
    mode = createOAuthMode({
      oauth: {
        clientId: DEFAULT_APP.clientId,
        clientSecret: DEFAULT_APP.clientSecret,
        stateSecret: 'state-secret-for-tests',
        installPath: '/slack/install',
        redirectUriPath: '/slack/oauth_redirect',
      },
      signingSecret: DEFAULT_APP.signingSecret,
      eventsPath: '/slack/events',
      slackApi: { slackApiUrl: slack.url },
      store,
      logger: log.logger,
    });
  });

  afterEach(async () => {
    await store.close();
    await slack.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function rawSqlite(): Promise<RawBackend> {
    const sqlite = BACKENDS.find((backend) => backend.name === 'sqlite');
    if (!sqlite) throw new Error('no sqlite backend');
    return sqlite.raw(dataDir, 'viam-billing');
  }

  /** A refresh grant as Slack's oauth.v2.access gets it, to count them at the stand-in. */
  const refreshCalls = () => slack.calls('oauth.v2.access').filter((call) => call.args.grant_type === 'refresh_token');

  it('refreshes a rotating token about to expire, saves the new one sealed, and posts with it', async () => {
    const grant = slack.startTokenRotation(TEAM.teamId);
    const expiresAt = Math.floor(Date.now() / 1000) + 60;
    await mode.installations.storeInstallation(
      installation({ bot: { ...BOT, token: grant.accessToken, refreshToken: grant.refreshToken, expiresAt } }),
    );

    const client = await mode.clients.clientFor(TEAM);
    await client.auth.test();

    expect(refreshCalls()).toEqual([
      expect.objectContaining({ ok: true, args: expect.objectContaining({ refresh_token: grant.refreshToken }) }),
    ]);
    const rotated = slack.workspace.team(TEAM.teamId)?.botToken as string;
    expect(rotated).not.toBe(grant.accessToken);
    expect(slack.lastCall('auth.test')).toMatchObject({ ok: true, token: rotated });

    const saved = await mode.installations.fetchInstallation({
      teamId: TEAM.teamId,
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    expect(saved.bot?.token).toBe(rotated);
    expect(saved.bot?.refreshToken).not.toBe(grant.refreshToken);
    expect(saved.bot?.expiresAt).toBeGreaterThan(expiresAt + 40_000);
    const raw = await rawSqlite();
    try {
      const values = (await raw.entries()).map((entry) => entry.value).join('\n');
      expect(values).toContain('botTokenExpiresAt');
      for (const secret of [rotated, saved.bot?.refreshToken as string, grant.refreshToken, grant.accessToken]) {
        expect(values).not.toContain(secret);
      }
    } finally {
      await raw.close();
    }

    // Cached: a second digest in the same minute neither refreshes nor reads the store again.
    expect(await mode.clients.clientFor(TEAM)).toBe(client);
    expect(refreshCalls()).toHaveLength(1);
    for (const secret of [rotated, saved.bot?.refreshToken as string, grant.refreshToken, DEFAULT_APP.clientSecret]) {
      expect(log.text()).not.toContain(secret);
    }
  });

  it('leaves a token far from expiry alone, and gives Bolt no refresh token', async () => {
    const grant = slack.startTokenRotation(TEAM.teamId);
    const expiresAt = Math.floor(Date.now() / 1000) + 12 * 3600;
    await mode.installations.storeInstallation(
      installation({ bot: { ...BOT, token: grant.accessToken, refreshToken: grant.refreshToken, expiresAt } }),
    );
    await (await mode.clients.clientFor(TEAM)).auth.test();
    expect(refreshCalls()).toEqual([]);
    expect(slack.lastCall('auth.test')?.token).toBe(grant.accessToken);

    const context = await mode.authorize({ teamId: TEAM.teamId, enterpriseId: undefined, isEnterpriseInstall: false });
    expect(context).toEqual({
      teamId: TEAM.teamId,
      botToken: grant.accessToken,
      botId: SEED.botId,
      botUserId: SEED.botUserId,
      botTokenExpiresAt: expiresAt,
    });
  });

  it('keeps no client past a minute before its token expires', async () => {
    const grant = slack.startTokenRotation(TEAM.teamId);
    // Due for a refresh, but another replica holds the claim: the current token serves meanwhile.
    const expiresAt = Math.floor(Date.now() / 1000) + 90;
    await mode.installations.storeInstallation(
      installation({ bot: { ...BOT, token: grant.accessToken, refreshToken: grant.refreshToken, expiresAt } }),
    );
    expect(await store.claims.claim(`ws:${TEAM.teamId}:token-refresh`, 'another-replica', 60_000)).toBe(true);
    let now = Date.now();
    const clients = new WorkspaceClients({
      queryFor: (ref) => mode.installations.queryFor(ref),
      authorize: mode.authorize,
      clientOptions: { slackApiUrl: slack.url },
      now: () => now,
    });
    const first = await clients.clientFor(TEAM);
    now = expiresAt * 1000 - 61_000;
    expect((await clients.clientFor(TEAM)) === first).toBe(true);
    now = expiresAt * 1000 - 59_000;
    expect((await clients.clientFor(TEAM)) === first).toBe(false);
    expect(refreshCalls()).toEqual([]);
  });

  it('serves every team of an enterprise from its org-wide install', async () => {
    await mode.installations.storeInstallation(
      installation({ team: undefined, enterprise: { id: 'E0GRID0001', name: 'Grid' }, isEnterpriseInstall: true }),
    );
    const teamOfGrid = { teamId: TEAM.teamId, enterpriseId: 'E0GRID0001' };
    expect(await mode.installations.queryFor(teamOfGrid)).toMatchObject({ isEnterpriseInstall: true });
    await (await mode.clients.clientFor(teamOfGrid)).auth.test();
    expect(slack.lastCall('auth.test')?.token).toBe(SEED.botToken);

    await mode.installations.delete({ teamId: 'E0GRID0001' });
    await expect(mode.clients.clientFor(teamOfGrid)).rejects.toMatchObject({ data: { error: 'not_authed' } });
  });

  it('fails like a call without a token once the install is gone, even with a client cached', async () => {
    await mode.installations.storeInstallation(installation());
    await mode.clients.clientFor(TEAM);
    await store.workspaces.deleteWorkspace(TEAM);
    await mode.installations.delete(TEAM);
    const failure = await mode.clients.clientFor(TEAM).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(webApi.WebAPIPlatformError);
    expect((failure as webApi.WebAPIPlatformError).data.error).toBe('not_authed');
  });
});

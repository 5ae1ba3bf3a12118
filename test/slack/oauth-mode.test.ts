/**
 * OAuth mode's background clients against the Slack stand-in, through Bolt's real InstallProvider
 * and a real store: token rotation (refreshed and saved again), org-wide installs, the short cache
 * and what happens once an install is gone. The stand-in has no refresh grant, so a small loopback
 * front answers `oauth.v2.access` refreshes (issuing the new token in the stand-in) and passes every
 * other call through.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Installation, webApi } from '@slack/bolt';
import { DEFAULT_APP, SEED, type SlackStandIn, startSlackStandIn } from '../../dev/slack-stand-in';
import { createOAuthMode, type OAuthMode } from '../../src/slack/oauth-mode';
import { BOT_SCOPES } from '../../src/slack/scopes';
import { openStore, type Store } from '../../src/store';
import { BACKENDS, type CapturedLog, captureLog, newEncryptionKey, type RawBackend } from '../store/support';

const TEAM = { teamId: SEED.team.id };

/** Answers refresh grants itself and forwards everything else to the stand-in. */
class RefreshingFront {
  refreshes: Array<{ refreshToken: string }> = [];
  private issued = 0;
  constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly slack: SlackStandIn,
  ) {}

  static async start(slack: SlackStandIn): Promise<RefreshingFront> {
    let front: RefreshingFront | undefined;
    const server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      const form = new URLSearchParams(body);
      if (req.url?.startsWith('/api/oauth.v2.access') && form.get('grant_type') === 'refresh_token') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(front?.refresh(form)));
        return;
      }
      const forwarded = await fetch(`${slack.origin}${req.url}`, {
        method: req.method,
        headers: { 'content-type': req.headers['content-type'] ?? '', authorization: req.headers.authorization ?? '' },
        body: req.method === 'GET' ? undefined : body,
      });
      res.writeHead(forwarded.status, { 'content-type': forwarded.headers.get('content-type') ?? 'application/json' });
      res.end(await forwarded.text());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    front = new RefreshingFront(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`, slack);
    return front;
  }

  private refresh(form: URLSearchParams): Record<string, unknown> {
    if (form.get('client_id') !== DEFAULT_APP.clientId || form.get('client_secret') !== DEFAULT_APP.clientSecret) {
      return { ok: false, error: 'invalid_client_id' };
    }
    this.refreshes.push({ refreshToken: form.get('refresh_token') ?? '' });
    this.issued += 1;
    const accessToken = this.slack.workspace.issueNewBotToken(TEAM.teamId);
    return {
      ok: true,
      token_type: 'bot',
      access_token: accessToken,
      refresh_token: `xoxe-1-refresh-${this.issued}`,
      expires_in: 43_200,
      app_id: DEFAULT_APP.appId,
      team: { id: TEAM.teamId, name: SEED.team.name },
      bot_user_id: SEED.botUserId,
    };
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

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
  let front: RefreshingFront;
  let store: Store;
  let dataDir: string;
  let log: CapturedLog;
  let mode: OAuthMode;

  beforeEach(async () => {
    slack = await startSlackStandIn();
    front = await RefreshingFront.start(slack);
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
      apiUrl: front.url,
      store,
      logger: log.logger,
    });
  });

  afterEach(async () => {
    await store.close();
    await front.close();
    await slack.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function rawSqlite(): Promise<RawBackend> {
    const sqlite = BACKENDS.find((backend) => backend.name === 'sqlite');
    if (!sqlite) throw new Error('no sqlite backend');
    return sqlite.raw(dataDir, 'viam-billing');
  }

  it('refreshes a rotating token about to expire, saves the new one sealed, and posts with it', async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 60;
    await mode.installations.storeInstallation(
      installation({ bot: { ...BOT, refreshToken: 'xoxe-1-refresh-0', expiresAt } }),
    );

    const client = await mode.clients.clientFor(TEAM);
    await client.auth.test();

    expect(front.refreshes).toEqual([{ refreshToken: 'xoxe-1-refresh-0' }]);
    const rotated = slack.workspace.team(TEAM.teamId)?.botToken as string;
    expect(rotated).not.toBe(SEED.botToken);
    expect(slack.lastCall('auth.test')).toMatchObject({ ok: true, token: rotated });

    const saved = await mode.installations.fetchInstallation({
      teamId: TEAM.teamId,
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    expect(saved.bot).toMatchObject({ token: rotated, refreshToken: 'xoxe-1-refresh-1' });
    expect(saved.bot?.expiresAt).toBeGreaterThan(expiresAt + 40_000);
    const raw = await rawSqlite();
    try {
      const values = (await raw.entries()).map((entry) => entry.value).join('\n');
      expect(values).toContain('botTokenExpiresAt');
      for (const secret of [rotated, 'xoxe-1-refresh-1', SEED.botToken]) expect(values).not.toContain(secret);
    } finally {
      await raw.close();
    }

    // Cached: a second digest in the same minute neither refreshes nor reads the store again.
    expect(await mode.clients.clientFor(TEAM)).toBe(client);
    expect(front.refreshes).toHaveLength(1);
    expect(log.text()).not.toContain(rotated);
    expect(log.text()).not.toContain(DEFAULT_APP.clientSecret);
  });

  it('leaves a token far from expiry alone', async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 12 * 3600;
    await mode.installations.storeInstallation(
      installation({ bot: { ...BOT, refreshToken: 'xoxe-1-refresh-0', expiresAt } }),
    );
    await (await mode.clients.clientFor(TEAM)).auth.test();
    expect(front.refreshes).toEqual([]);
    expect(slack.lastCall('auth.test')?.token).toBe(SEED.botToken);
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

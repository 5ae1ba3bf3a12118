import { webApi } from '@slack/bolt';
import { MANIFEST_BOT_SCOPES, SEED, type SlackStandIn, startSlackStandIn } from '../../../dev/slack-stand-in';
import { clientFor, platformError, slackError } from './web-client';

const { channels, users } = SEED;

describe('Slack stand-in Web API', () => {
  let standIn: SlackStandIn;
  let client: webApi.WebClient;

  beforeEach(async () => {
    standIn = await startSlackStandIn();
    client = clientFor(standIn, SEED.botToken);
  });

  afterEach(async () => {
    await standIn.stop();
  });

  describe('authentication', () => {
    it('answers auth.test for the bot token with the ids Bolt reads, and reports granted scopes', async () => {
      const result = await client.auth.test();
      expect(result).toMatchObject({
        ok: true,
        team_id: SEED.team.id,
        team: SEED.team.name,
        user_id: SEED.botUserId,
        bot_id: SEED.botId,
        url: 'https://acme-robotics.slack.com/',
      });
      expect(result.response_metadata?.scopes).toEqual([...MANIFEST_BOT_SCOPES]);
    });

    it('rejects an unknown token with invalid_auth and a missing one with not_authed', async () => {
      expect(await slackError(clientFor(standIn, 'xoxb-not-issued-here').auth.test())).toBe('invalid_auth');
      expect(await slackError(clientFor(standIn, undefined).auth.test())).toBe('not_authed');
    });

    it('answers a revoked token with token_revoked or account_inactive until restored', async () => {
      standIn.workspace.revokeToken(SEED.team.id);
      expect(await slackError(client.auth.test())).toBe('token_revoked');
      standIn.workspace.revokeToken(SEED.team.id, 'account_inactive');
      expect(await slackError(client.chat.postMessage({ channel: channels.general, text: 'hi' }))).toBe(
        'account_inactive',
      );
      standIn.workspace.restoreToken(SEED.team.id);
      await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
    });

    it('refuses the app-level token on bot methods and the bot token on apps.connections.open', async () => {
      const appClient = clientFor(standIn, standIn.app.appToken);
      expect(await slackError(appClient.auth.test())).toBe('not_allowed_token_type');
      expect(await slackError(client.apps.connections.open())).toBe('not_allowed_token_type');
      const opened = await appClient.apps.connections.open();
      expect(opened.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=.+&app_id=A0VIAMBILL$/);
    });

    it('answers unknown_method for methods it does not implement, including prototype names', async () => {
      expect(await slackError(client.apiCall('admin.teams.list'))).toBe('unknown_method');
      expect(await slackError(client.apiCall('toString'))).toBe('unknown_method');
    });

    it('answers missing_scope with the needed scope when the token lacks it', async () => {
      standIn.workspace.setScopes(
        SEED.team.id,
        MANIFEST_BOT_SCOPES.filter((scope) => scope !== 'users:read'),
      );
      const error = await client.users.info({ user: users.ada }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(webApi.WebAPIPlatformError);
      expect((error as webApi.WebAPIPlatformError).data).toMatchObject({
        error: 'missing_scope',
        needed: 'users:read',
      });
    });
  });

  describe('chat.postMessage', () => {
    it('posts where the bot is a member and returns channel and ts', async () => {
      const result = await client.chat.postMessage({ channel: channels.billing, text: 'Usage is up 4%' });
      expect(result.channel).toBe(channels.billing);
      expect(result.ts).toMatch(/^\d+\.\d{6}$/);
      expect(standIn.messagesIn(channels.billing)).toEqual([
        expect.objectContaining({ ts: result.ts, text: 'Usage is up 4%', user: SEED.botUserId }),
      ]);
    });

    it('resolves #names and turns a user id into the bot DM', async () => {
      const byName = await client.chat.postMessage({ channel: '#billing', text: 'by name' });
      expect(byName.channel).toBe(channels.billing);
      const dm = await client.chat.postMessage({ channel: users.linus, text: 'just you' });
      expect(dm.channel).toMatch(/^D/);
      expect(standIn.workspace.channel(dm.channel ?? '')?.imUser).toBe(users.linus);
    });

    it('answers channel_not_found, is_archived and not_in_channel by the channel rules', async () => {
      expect(await slackError(client.chat.postMessage({ channel: 'C0NOSUCHCH', text: 'x' }))).toBe('channel_not_found');
      expect(await slackError(client.chat.postMessage({ channel: channels.oldProjects, text: 'x' }))).toBe(
        'is_archived',
      );
      expect(await slackError(client.chat.postMessage({ channel: channels.random, text: 'x' }))).toBe('not_in_channel');
      expect(await slackError(client.chat.postMessage({ channel: channels.leadership, text: 'x' }))).toBe(
        'not_in_channel',
      );
      expect(standIn.messagesIn(channels.random)).toEqual([]);
    });

    it('lets chat:write.public post to public channels only', async () => {
      standIn.workspace.setScopes(SEED.team.id, [...MANIFEST_BOT_SCOPES, 'chat:write.public']);
      await expect(client.chat.postMessage({ channel: channels.random, text: 'hello' })).resolves.toMatchObject({
        ok: true,
      });
      expect(await slackError(client.chat.postMessage({ channel: channels.leadership, text: 'x' }))).toBe(
        'not_in_channel',
      );
    });

    it('keeps another team out of this team’s channels', async () => {
      const other = standIn.workspace.addTeam({ name: 'Globex', scopes: [...MANIFEST_BOT_SCOPES] });
      const otherClient = clientFor(standIn, other.botToken);
      expect(await slackError(otherClient.chat.postMessage({ channel: channels.general, text: 'x' }))).toBe(
        'channel_not_found',
      );
      const ops = standIn.workspace.addChannel(other.id, { name: 'ops', botIsMember: true });
      await expect(otherClient.chat.postMessage({ channel: ops.id, text: 'ok' })).resolves.toMatchObject({ ok: true });
      expect(standIn.lastCall('chat.postMessage')?.teamId).toBe(other.id);
    });

    it('rejects blocks over Block Kit limits with invalid_blocks and a pointer to the problem', async () => {
      const error = await platformError(
        client.chat.postMessage({
          channel: channels.general,
          text: 'fallback',
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }],
        }),
      );
      expect(error.data.error).toBe('invalid_blocks');
      expect(error.data.response_metadata?.messages?.[0]).toContain('/blocks/0/text/text');
      expect(await slackError(client.apiCall('chat.postMessage', { channel: channels.general }))).toBe('no_text');
    });

    it('applies chat.update and chat.delete to what the channel shows, and keeps ephemerals apart', async () => {
      const posted = await client.chat.postMessage({ channel: channels.general, text: 'v1' });
      await client.chat.update({ channel: channels.general, ts: posted.ts ?? '', text: 'v2' });
      expect(standIn.messagesIn(channels.general)).toEqual([expect.objectContaining({ text: 'v2', updates: 1 })]);
      await client.chat.postEphemeral({ channel: channels.general, user: users.mei, text: 'only you' });
      expect(standIn.ephemeralIn(channels.general, users.mei)).toEqual([expect.objectContaining({ text: 'only you' })]);
      await client.chat.delete({ channel: channels.general, ts: posted.ts ?? '' });
      expect(standIn.messagesIn(channels.general)).toEqual([]);
      expect(await slackError(client.chat.update({ channel: channels.general, ts: posted.ts ?? '', text: 'x' }))).toBe(
        'message_not_found',
      );
      expect(
        await slackError(client.chat.postEphemeral({ channel: channels.billing, user: users.mei, text: 'x' })),
      ).toBe('user_not_in_channel');
    });
  });

  describe('users and conversations', () => {
    it('answers users.info with time zone, offset and admin flags, and user_not_found otherwise', async () => {
      const { user } = await client.users.info({ user: users.ada });
      expect(user).toMatchObject({
        id: users.ada,
        name: 'ada',
        real_name: 'Ada Lovelace',
        tz: 'America/New_York',
        is_admin: true,
        is_owner: true,
        is_primary_owner: true,
        is_bot: false,
      });
      expect([-18000, -14400]).toContain(user?.tz_offset);
      expect(user?.profile?.email).toBeUndefined();
      const { user: mei } = await client.users.info({ user: users.mei });
      expect(mei).toMatchObject({ tz_offset: 32400, is_admin: false, is_owner: false });
      expect(await slackError(client.users.info({ user: 'U0NOBODY00' }))).toBe('user_not_found');
    });

    it('joins public channels only, after which posting works', async () => {
      const joined = await client.conversations.join({ channel: channels.random });
      expect(joined.channel).toMatchObject({ id: channels.random, is_member: true });
      await expect(client.chat.postMessage({ channel: channels.random, text: 'hi' })).resolves.toMatchObject({
        ok: true,
      });
      const again = await client.conversations.join({ channel: channels.random });
      expect(again.warning).toBe('already_in_channel');
      expect(await slackError(client.conversations.join({ channel: channels.leadership }))).toBe(
        'method_not_supported_for_channel_type',
      );
    });

    it('hides private channels the bot is not in from conversations.info', async () => {
      const info = await client.conversations.info({ channel: channels.finance });
      expect(info.channel).toMatchObject({ is_private: true, is_member: true, name: 'finance' });
      expect(await slackError(client.conversations.info({ channel: channels.leadership }))).toBe('channel_not_found');
    });

    it('opens a DM with conversations.open when im:write is granted', async () => {
      expect(await slackError(client.conversations.open({ users: users.grace }))).toBe('missing_scope');
      standIn.workspace.setScopes(SEED.team.id, [...MANIFEST_BOT_SCOPES, 'im:write']);
      const first = await client.conversations.open({ users: users.grace });
      expect(first.channel?.id).toMatch(/^D[A-Z0-9]{8,}$/);
      const second = await client.conversations.open({ users: users.grace });
      expect(second).toMatchObject({ already_open: true, channel: { id: first.channel?.id } });
      expect(await slackError(client.conversations.open({ users: 'U0NOBODY00' }))).toBe('user_not_found');
    });
  });

  describe('recording and faults', () => {
    it('records each call with method, token, team and decoded arguments, and waits for later ones', async () => {
      const later = standIn.waitForCall('chat.postMessage', (call) => call.args.text === 'second');
      await client.chat.postMessage({ channel: channels.general, text: 'first', blocks: [{ type: 'divider' }] });
      await client.chat.postMessage({ channel: channels.general, text: 'second' });
      const call = await later;
      expect(call).toMatchObject({ method: 'chat.postMessage', token: SEED.botToken, teamId: SEED.team.id, ok: true });
      expect(standIn.calls('chat.postMessage')[0]?.args.blocks).toEqual([{ type: 'divider' }]);
      expect(standIn.calls().map((c) => c.seq)).toEqual([1, 2]);
      await expect(standIn.waitForCall('views.open', undefined, 50)).rejects.toThrow(/Timed out/);
    });

    it('fails the next calls with a chosen error, then recovers', async () => {
      standIn.failNext('chat.postMessage', 'ratelimited', 2);
      expect(await slackError(client.chat.postMessage({ channel: channels.general, text: 'a' }))).toBe('ratelimited');
      expect(await slackError(client.chat.postMessage({ channel: channels.general, text: 'b' }))).toBe('ratelimited');
      await expect(client.chat.postMessage({ channel: channels.general, text: 'c' })).resolves.toMatchObject({
        ok: true,
      });
    });

    it('answers 5xx as an HTTP error, not a platform error', async () => {
      standIn.serverErrorNext('users.info', 503);
      const error = await client.users.info({ user: users.ada }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(webApi.WebAPIHTTPError);
      expect((error as webApi.WebAPIHTTPError).statusCode).toBe(503);
      expect(standIn.lastCall('users.info')).toMatchObject({ status: 503, ok: false });
    });

    it('delays answers by the configured latency', async () => {
      standIn.setLatency('auth.test', 150);
      const started = performance.now();
      await client.auth.test();
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    });

    it('answers 429 with Retry-After, which the WebClient honours before retrying', async () => {
      const retrying = clientFor(standIn, SEED.botToken, {
        retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 0 },
      });
      const rateLimited = jest.fn();
      retrying.on(webApi.WebClientEvent.RATE_LIMITED, rateLimited);
      standIn.rateLimitNext('chat.postMessage', 1);
      const started = performance.now();
      const result = await retrying.chat.postMessage({ channel: channels.general, text: 'after the pause' });
      expect(result.ok).toBe(true);
      expect(performance.now() - started).toBeGreaterThanOrEqual(950);
      expect(rateLimited).toHaveBeenCalledWith(1, expect.anything());
      expect(standIn.calls('chat.postMessage').map((call) => call.status)).toEqual([429, 200]);
      expect(standIn.messagesIn(channels.general)).toHaveLength(1);
    });
  });

  describe('oauth.v2.access', () => {
    it('exchanges an issued code for a new workspace installation whose token works', async () => {
      const code = standIn.issueOAuthCode({ teamName: 'Initech', installerName: 'peter' });
      const noToken = clientFor(standIn, undefined);
      const install = await noToken.oauth.v2.access({
        client_id: standIn.app.clientId,
        client_secret: standIn.app.clientSecret,
        code,
      });
      expect(install).toMatchObject({
        ok: true,
        app_id: standIn.app.appId,
        token_type: 'bot',
        scope: MANIFEST_BOT_SCOPES.join(','),
        team: { name: 'Initech' },
        is_enterprise_install: false,
      });
      expect(install.access_token).toMatch(/^xoxb-/);
      const auth = await clientFor(standIn, install.access_token).auth.test();
      expect(auth).toMatchObject({ team_id: install.team?.id, user_id: install.bot_user_id });

      const reuse = noToken.oauth.v2.access({
        client_id: standIn.app.clientId,
        client_secret: standIn.app.clientSecret,
        code,
      });
      expect(await slackError(reuse)).toBe('invalid_code');
      const badSecret = noToken.oauth.v2.access({
        client_id: standIn.app.clientId,
        client_secret: 'nope',
        code: standIn.issueOAuthCode(),
      });
      expect(await slackError(badSecret)).toBe('bad_client_secret');
    });

    it('gives a revoked workspace a fresh token on reinstall', async () => {
      standIn.workspace.revokeToken(SEED.team.id);
      const install = await clientFor(standIn, undefined).oauth.v2.access({
        client_id: standIn.app.clientId,
        client_secret: standIn.app.clientSecret,
        code: standIn.issueOAuthCode({ teamId: SEED.team.id, installerUserId: users.ada }),
      });
      expect(install.access_token).not.toBe(SEED.botToken);
      expect(install.authed_user?.id).toBe(users.ada);
      expect(await slackError(client.auth.test())).toBe('token_revoked');
      await expect(clientFor(standIn, install.access_token).auth.test()).resolves.toMatchObject({
        team_id: SEED.team.id,
      });
    });
  });
});

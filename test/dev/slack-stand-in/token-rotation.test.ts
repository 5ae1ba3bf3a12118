/**
 * The stand-in's token rotation, through real Web API clients over loopback: installs with rotation
 * hand over an expiring token and a refresh token, a refresh token works exactly once, and an
 * expired access token is refused.
 */
import {
  ManualClock,
  ROTATING_TOKEN_LIFETIME_SECONDS,
  SEED,
  type SlackStandIn,
  startSlackStandIn,
} from '../../../dev/slack-stand-in';
import { clientFor, slackError } from './web-client';

describe('Slack stand-in token rotation', () => {
  let clock: ManualClock;
  let standIn: SlackStandIn;

  beforeEach(async () => {
    clock = new ManualClock();
    standIn = await startSlackStandIn({ clock });
  });

  afterEach(async () => {
    await standIn.stop();
  });

  function refresh(refreshToken: string, clientSecret = standIn.app.clientSecret) {
    return clientFor(standIn, undefined).oauth.v2.access({
      client_id: standIn.app.clientId,
      client_secret: clientSecret,
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    });
  }

  it('hands an install with rotation an expiring token and a refresh token', async () => {
    const install = await clientFor(standIn, undefined).oauth.v2.access({
      client_id: standIn.app.clientId,
      client_secret: standIn.app.clientSecret,
      code: standIn.issueOAuthCode({ teamName: 'Initech', tokenRotation: true }),
    });
    expect(install).toMatchObject({ ok: true, token_type: 'bot', expires_in: 43_200 });
    expect(install.access_token).toMatch(/^xoxe\.xoxb-/);
    expect(install.refresh_token).toMatch(/^xoxe-1-/);
    await expect(clientFor(standIn, install.access_token).auth.test()).resolves.toMatchObject({
      team_id: install.team?.id,
    });
  });

  it('gives a new token pair for each refresh and refuses a refresh token used before', async () => {
    const first = standIn.startTokenRotation(SEED.team.id);
    const second = await refresh(first.refreshToken);
    expect(second).toMatchObject({ ok: true, token_type: 'bot', expires_in: ROTATING_TOKEN_LIFETIME_SECONDS });
    expect(second.team).toEqual({ id: SEED.team.id, name: SEED.team.name });
    expect(second.bot_user_id).toBe(SEED.botUserId);
    expect(second.access_token).not.toBe(first.accessToken);
    expect(second.refresh_token).not.toBe(first.refreshToken);
    expect(standIn.defaultTeam.botToken).toBe(second.access_token);

    expect(await slackError(refresh(first.refreshToken))).toBe('invalid_refresh_token');
    const third = await refresh(second.refresh_token as string);
    expect(new Set([first.accessToken, second.access_token, third.access_token]).size).toBe(3);
    expect(await slackError(refresh(second.refresh_token as string))).toBe('invalid_refresh_token');
    expect(standIn.calls('oauth.v2.access').map((call) => call.error ?? 'ok')).toEqual([
      'ok',
      'invalid_refresh_token',
      'ok',
      'invalid_refresh_token',
    ]);
  });

  it('lets only one of two refreshes with the same token at the same moment through', async () => {
    const { refreshToken } = standIn.startTokenRotation(SEED.team.id);
    const outcomes = await Promise.allSettled([refresh(refreshToken), refresh(refreshToken)]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((outcome) => outcome.status === 'rejected');
    expect((refused as PromiseRejectedResult).reason.data.error).toBe('invalid_refresh_token');
  });

  it('refuses an expired access token with token_expired, and the refreshed one works', async () => {
    const first = standIn.startTokenRotation(SEED.team.id);
    clock.advance(ROTATING_TOKEN_LIFETIME_SECONDS * 1000 - 1);
    await expect(clientFor(standIn, first.accessToken).auth.test()).resolves.toMatchObject({ ok: true });
    clock.advance(1);
    expect(await slackError(clientFor(standIn, first.accessToken).auth.test())).toBe('token_expired');

    const refreshed = await refresh(first.refreshToken);
    await expect(clientFor(standIn, refreshed.access_token).auth.test()).resolves.toMatchObject({ ok: true });
    // The replaced token stays refused: it expired on its own clock, not because of the refresh.
    expect(await slackError(clientFor(standIn, first.accessToken).chat.postMessage({ channel: 'x', text: 'x' }))).toBe(
      'token_expired',
    );
  });

  it('keeps a replaced token working until its own expiry, and can expire the current one early', async () => {
    const first = standIn.startTokenRotation(SEED.team.id);
    const refreshed = await refresh(first.refreshToken);
    await expect(clientFor(standIn, first.accessToken).auth.test()).resolves.toMatchObject({ ok: true });

    standIn.workspace.expireBotToken(SEED.team.id);
    expect(standIn.workspace.tokenState(SEED.team.id)).toBe('token_expired');
    expect(await slackError(clientFor(standIn, refreshed.access_token).auth.test())).toBe('token_expired');
  });

  it('refuses a refresh without the app’s credentials or with a token it never issued', async () => {
    const { refreshToken } = standIn.startTokenRotation(SEED.team.id);
    expect(await slackError(refresh(refreshToken, 'not-the-secret'))).toBe('bad_client_secret');
    expect(await slackError(refresh('xoxe-1-never-issued'))).toBe('invalid_refresh_token');
    // Refused calls spend nothing: the token still works once.
    await expect(refresh(refreshToken)).resolves.toMatchObject({ ok: true });
  });
});

/**
 * OAuth installs end to end: the real app in OAuth mode over HTTP, a browser's walk through
 * /slack/install and /slack/oauth_redirect, the Slack stand-in's oauth.v2.access, the real store
 * (read raw from its backend), and signed requests from the installed teams.
 */
import { DEFAULT_APP } from '../../dev/slack-stand-in';
import { BOT_SCOPES } from '../../src/slack/scopes';
import { takeTurnsOnSharedServers } from '../support/shared-servers';
import { LogCapture, useLocalStack } from '../support/stack';
import {
  commandFrom,
  describeOAuthBackends,
  finishInstall,
  freshTeamId,
  installTeam,
  keysOfTeam,
  oauthStackOptions,
  rawBackend,
  STATE_SECRET,
  startInstall,
} from './oauth-support';

// Redis and PostgreSQL hold the app's one namespace: files using them take turns.
takeTurnsOnSharedServers();

describeOAuthBackends('OAuth installs', (backend, storeUrl) => {
  const log = new LogCapture();
  const stackOf = useLocalStack(oauthStackOptions(storeUrl, { logDestination: log.destination }));

  it('sends the installer to Slack with a state that is also set as a cookie', async () => {
    const started = await startInstall(stackOf());
    expect(started.status).toBe(302);
    expect(started.location.origin + started.location.pathname).toBe('https://slack.com/oauth/v2/authorize');
    expect(started.location.searchParams.get('client_id')).toBe(DEFAULT_APP.clientId);
    expect(started.location.searchParams.get('scope')?.split(',')).toEqual([...BOT_SCOPES]);
    expect(started.state).not.toBe('');
    expect(started.cookie).toBe(`slack-app-oauth-state=${started.state}`);
  });

  it('stores the installation sealed, and answers the new team with its own bot token', async () => {
    const stack = stackOf();
    const team = await installTeam(stack);
    expect(stack.slack.calls('oauth.v2.access')).toEqual([expect.objectContaining({ ok: true })]);

    const installation = await stack.app.services.installations?.fetchInstallation({
      teamId: team.teamId,
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    expect(installation?.bot?.token).toBe(team.botToken);
    expect(installation?.team?.id).toBe(team.teamId);

    const raw = await rawBackend(stack, backend);
    try {
      const entries = (await raw.entries()).filter((entry) => entry.key.includes(`:ws:${team.teamId}:`));
      expect(entries.map((entry) => entry.key)).toEqual([expect.stringMatching(/:installation:slack$/)]);
      expect(entries[0]?.value).not.toContain(team.botToken);
      expect(entries[0]?.value).not.toContain('xoxb-');
    } finally {
      await raw.close();
    }

    // `connect` checks the caller is an admin (users.info) and opens the modal (views.open): both with the team's token.
    const { ack } = await commandFrom(stack, team, 'connect');
    expect(ack.status).toBe(200);
    const opened = await stack.slack.waitForCall('views.open', (call) => call.teamId === team.teamId, 5_000);
    expect(opened).toMatchObject({ ok: true, token: team.botToken });
    expect(stack.slack.calls('users.info').every((call) => call.token === team.botToken)).toBe(true);

    const lines = log.lines.join('');
    for (const secret of [team.botToken, DEFAULT_APP.clientSecret, STATE_SECRET]) expect(lines).not.toContain(secret);
  });

  it('uses each workspace’s own token when two are installed', async () => {
    const stack = stackOf();
    const [first, second] = [await installTeam(stack), await installTeam(stack)];
    expect(first.botToken).not.toBe(second.botToken);
    for (const team of [second, first]) {
      await commandFrom(stack, team, 'connect');
      const opened = await stack.slack.waitForCall('views.open', (call) => call.teamId === team.teamId, 5_000);
      expect(opened.token).toBe(team.botToken);
    }
    const tokensByTeam = new Map(stack.slack.calls().map((call) => [call.teamId, call.token]));
    expect(tokensByTeam.get(first.teamId)).toBe(first.botToken);
    expect(tokensByTeam.get(second.teamId)).toBe(second.botToken);
  });

  it('refuses a redirect whose state is missing, forged or not from this browser, and stores nothing', async () => {
    const stack = stackOf();
    const teamId = freshTeamId();
    const started = await startInstall(stack);
    const attempts: Array<{ query: Record<string, string>; cookie?: string }> = [
      { query: { code: stack.slack.issueOAuthCode({ teamId }) }, cookie: started.cookie },
      {
        query: { code: stack.slack.issueOAuthCode({ teamId }), state: 'forged' },
        cookie: 'slack-app-oauth-state=forged',
      },
      { query: { code: stack.slack.issueOAuthCode({ teamId }), state: started.state }, cookie: undefined },
      {
        query: { code: stack.slack.issueOAuthCode({ teamId }), state: `${started.state}x` },
        cookie: `slack-app-oauth-state=${started.state}x`,
      },
    ];
    for (const attempt of attempts) {
      const answer = await finishInstall(stack, attempt.query, attempt.cookie);
      expect(answer.status).toBe(400);
      expect(answer.body).toContain('Something Went Wrong');
    }
    expect(stack.slack.calls('oauth.v2.access')).toEqual([]);
    expect(stack.slack.workspace.team(teamId)).toBeUndefined();
    const raw = await rawBackend(stack, backend);
    try {
      expect(await keysOfTeam(raw, teamId)).toEqual([]);
    } finally {
      await raw.close();
    }
  });

  it('is ready without a bot token of its own once the store and Slack answer', async () => {
    const response = await fetch(`${stackOf().appUrl}/readyz`);
    expect(response.status).toBe(200);
  });

  it('does not answer requests from a team that never installed the app', async () => {
    const stack = stackOf();
    const team = { teamId: freshTeamId(), installer: 'U0NOBODY01', channel: 'C0NOWHERE1', botToken: '' };
    const { ack } = await commandFrom(stack, team, 'help');
    expect(ack.status).toBe(200);
    await expect(stack.slack.waitForCall('views.open', () => true, 300)).rejects.toThrow();
    expect(stack.slack.responses()).toEqual([]);
  });
});

/**
 * Two real app processes (`tsx src/main.ts`, HTTP mode) in OAuth mode on one Redis or PostgreSQL
 * store, against one Slack stand-in whose refresh tokens work exactly once. A team installs the app
 * with token rotation through replica A; its token then expires, and both replicas get a command
 * from that team at the same moment: the token is refreshed once, and both answer with the new one.
 *
 * Redis and PostgreSQL run when REDIS_URL / DATABASE_URL are set, and are skipped with a notice otherwise.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RunningEmulator, startEmulator } from '../../dev/emulator';
import { DEFAULT_APP, type SlackStandIn, startSlackStandIn } from '../../dev/slack-stand-in';
import { silentLogger } from '../../src/logger';
import { KeyvInstallationStore } from '../../src/slack/installation-store';
import { openStore, type Store } from '../../src/store';
import { commandFrom, type InstalledTeam, installTeam, STATE_SECRET } from '../slack/oauth-support';
import { STACK_ENCRYPTION_KEY } from '../support/log-sink';
import { type Replica, SHARED_BACKENDS, startReplica, stopReplica, waitFor } from '../support/replicas';
import { takeTurnsOnSharedServers } from '../support/shared-servers';

// Redis and PostgreSQL hold the app's one namespace: files using them take turns.
takeTurnsOnSharedServers();

const OAUTH_ENV = {
  SLACK_BOT_TOKEN: undefined,
  SLACK_CLIENT_ID: DEFAULT_APP.clientId,
  SLACK_CLIENT_SECRET: DEFAULT_APP.clientSecret,
  SLACK_STATE_SECRET: STATE_SECRET,
};

for (const backend of SHARED_BACKENDS) {
  const storeUrl = process.env[backend.variable];
  const suite = storeUrl ? describe : describe.skip;
  if (!storeUrl)
    console.warn(`Skipping token refresh on two replicas on ${backend.name}: ${backend.variable} is not set.`);

  suite(`one token refresh for two app processes on one ${backend.name} store`, () => {
    let emulator: RunningEmulator;
    let slack: SlackStandIn;
    let store: Store;
    let dataDir: string;
    let replicas: Replica[] = [];
    let team: InstalledTeam | undefined;
    /** Everything the replicas wrote to stdout, JSON or not. */
    const output: string[] = [];

    beforeAll(async () => {
      [emulator, slack] = await Promise.all([startEmulator(), startSlackStandIn()]);
      dataDir = await mkdtemp(path.join(tmpdir(), 'viam-billing-token-refresh-'));
      // The test's own view of the shared store, to move the token's expiry as 12 hours would.
      store = await openStore({ url: storeUrl, dataDir, encryptionKey: STACK_ENCRYPTION_KEY, logger: silentLogger() });
      replicas = await Promise.all(
        ['a', 'b'].map((name) =>
          startReplica(name, { storeUrl: storeUrl as string, dataDir, slack, emulator, env: OAUTH_ENV }),
        ),
      );
      for (const replica of replicas) {
        replica.process.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
      }
    }, 30_000);

    afterAll(async () => {
      await Promise.all(replicas.map(stopReplica));
      if (team) await store?.workspaces.deleteWorkspace({ teamId: team.teamId });
      await store?.close();
      await slack?.stop();
      await emulator?.stop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    const refreshCalls = () =>
      slack.calls('oauth.v2.access').filter((call) => call.args.grant_type === 'refresh_token');

    it('refreshes an expired token once when both replicas need it at the same moment, and both keep working', async () => {
      const [a, b] = replicas as [Replica, Replica];
      const installed = await installTeam({ appUrl: a.url, slack }, { tokenRotation: true });
      team = installed;
      const query = { teamId: installed.teamId, enterpriseId: undefined, isEnterpriseInstall: false };
      const installations = new KeyvInstallationStore({ store, logger: silentLogger() });
      const stored = await installations.fetchInstallation(query);
      const first = { token: stored.bot?.token as string, refreshToken: stored.bot?.refreshToken as string };
      expect(first.token === installed.botToken && first.refreshToken.startsWith('xoxe-1-')).toBe(true);

      // Twelve hours later: Slack refuses the token, and the saved expiry says it is past.
      slack.workspace.expireBotToken(installed.teamId);
      await installations.storeInstallation({
        ...stored,
        bot: { ...(stored.bot as NonNullable<typeof stored.bot>), expiresAt: Math.floor(Date.now() / 1000) - 5 },
      });
      slack.resetRecords();
      // The refresh takes a while, so the second replica surely finds the first one's claim.
      slack.setLatency('oauth.v2.access', 300);

      // `connect` asks users.info whether the caller is an admin and opens a modal: both with the bot token.
      const acks = await Promise.all(
        [a, b].map((replica) => commandFrom({ appUrl: replica.url, slack }, installed, 'connect')),
      );
      expect(acks.map(({ ack }) => ack.status)).toEqual([200, 200]);
      await waitFor(() => slack.calls('views.open').length >= 2, 10_000);

      expect(refreshCalls()).toEqual([
        expect.objectContaining({ ok: true, args: expect.objectContaining({ refresh_token: first.refreshToken }) }),
      ]);
      const rotated = slack.workspace.team(installed.teamId)?.botToken as string;
      expect(rotated === first.token).toBe(false);
      const opened = slack.calls('views.open');
      expect(opened.map((call) => call.ok)).toEqual([true, true]);
      expect(opened.every((call) => call.token === rotated)).toBe(true);
      expect(slack.calls('users.info').every((call) => call.ok && call.token === rotated)).toBe(true);
      expect(slack.calls().filter((call) => call.error === 'token_expired')).toEqual([]);

      // One replica refreshed; the other waited for its token.
      const refreshedOn = replicas.filter((replica) =>
        replica.lines.some((line) => line.msg === 'slack bot token refreshed' && line.team === installed.teamId),
      );
      expect(refreshedOn).toHaveLength(1);

      const saved = await installations.fetchInstallation(query);
      expect(saved.bot?.token === rotated).toBe(true);
      const secrets = [
        first.token,
        first.refreshToken,
        rotated,
        saved.bot?.refreshToken as string,
        DEFAULT_APP.clientSecret,
      ];
      const logged = output.join('');
      expect(logged).toContain('slack bot token refreshed');
      for (const secret of secrets) expect(logged.includes(secret)).toBe(false);
    }, 30_000);
  });
}

/**
 * tokens_revoked in OAuth mode, end to end: a revoked bot token is not an uninstall. The installation
 * stops authorizing (it needs a reinstall) and its tokens are dropped, while settings and the audit
 * trail stay; after REVOKED_RETENTION_DAYS without a reinstall everything goes, as on app_uninstalled.
 * Revoked user tokens alone leave everything in place (the app holds no user tokens).
 */

import type { LocalStack } from '../../../dev/local-stack';
import { tokensRevokedEvent } from '../../../dev/slack-stand-in';
import {
  connectOrg,
  deliverEvent,
  describeOAuthBackends,
  installTeam,
  keysOfTeam,
  oauthStackOptions,
  rawBackend,
} from '../../slack/oauth-support';
import { takeTurnsOnSharedServers } from '../../support/shared-servers';
import { LogCapture, SEED, useLocalStack } from '../../support/stack';

// Redis and PostgreSQL hold the app's one namespace: files using them take turns.
takeTurnsOnSharedServers();

function botUserOf(stack: LocalStack, teamId: string): string {
  return stack.slack.workspace.team(teamId)?.botUserId as string;
}

describeOAuthBackends('tokens_revoked', (backend, storeUrl) => {
  const log = new LogCapture();
  const stackOf = useLocalStack(oauthStackOptions(storeUrl, { logDestination: log.destination }));

  const DAY_MS = 24 * 60 * 60_000;

  it('with the bot listed, keeps every key of the team, stops using the install and drops its tokens', async () => {
    const stack = stackOf();
    const team = await installTeam(stack);
    await connectOrg(stack, team);
    const installations = stack.app.services.installations;
    if (!installations) throw new Error('OAuth mode has installations');
    const raw = await rawBackend(stack, backend);
    try {
      const before = (await keysOfTeam(raw, team.teamId)).sort();
      await deliverEvent(stack, team.teamId, tokensRevokedEvent({ bot: [botUserOf(stack, team.teamId)] }));

      expect((await keysOfTeam(raw, team.teamId)).sort()).toEqual(before);
      const values = (await raw.entries()).map((entry) => entry.value).join('\n');
      expect(values).not.toContain(team.botToken);
    } finally {
      await raw.close();
    }
    await expect(
      installations.fetchInstallation({ teamId: team.teamId, enterpriseId: undefined, isEnterpriseInstall: false }),
    ).rejects.toThrow('The app is not installed in this workspace.');
    expect(await installations.queryFor({ teamId: team.teamId })).toBeUndefined();
    expect((await stack.app.services.store.workspaces.get({ teamId: team.teamId })).orgs).toHaveLength(1);
    expect((await stack.app.services.audit.latest({ teamId: team.teamId }, 10)).length).toBeGreaterThan(0);
    expect(
      log.find(
        'the bot token was revoked: the installation needs a reinstall; settings and the audit trail are kept until then or until the purge',
      ),
    ).toEqual([expect.objectContaining({ team: team.teamId })]);
  });

  it('purges a revoked team after the retention period, and keeps one that was installed again', async () => {
    const stack = stackOf();
    const [gone, back] = [await installTeam(stack), await installTeam(stack)];
    await connectOrg(stack, gone);
    await connectOrg(stack, back);
    for (const team of [gone, back]) {
      await deliverEvent(stack, team.teamId, tokensRevokedEvent({ bot: [botUserOf(stack, team.teamId)] }));
    }
    await installTeam(stack, { teamId: back.teamId, installerUserId: back.installer });
    const revocations = stack.app.services.revocations;
    if (!revocations) throw new Error('OAuth mode has revocations');
    const raw = await rawBackend(stack, backend);
    try {
      const revokedAt = stack.app.services.now().getTime();
      const [goneKeys, backKeys] = [await keysOfTeam(raw, gone.teamId), (await keysOfTeam(raw, back.teamId)).sort()];
      await revocations.ticker.tick(new Date(revokedAt + 29 * DAY_MS));
      expect(await keysOfTeam(raw, gone.teamId)).toHaveLength(goneKeys.length);

      const purge = await revocations.ticker.tick(new Date(revokedAt + 30 * DAY_MS + 60_000));
      // The stack is shared with the test above, whose revoked team comes due too.
      expect(purge.reports).toEqual(expect.arrayContaining(['purged', 'reinstalled']));
      expect(await keysOfTeam(raw, gone.teamId)).toEqual([]);
      expect((await keysOfTeam(raw, back.teamId)).sort()).toEqual(backKeys);
      expect((await stack.app.services.store.workspaces.get({ teamId: back.teamId })).orgs).toHaveLength(1);
    } finally {
      await raw.close();
    }
  });

  it('with only user tokens listed, keeps everything', async () => {
    const stack = stackOf();
    const team = await installTeam(stack);
    await connectOrg(stack, team);
    const raw = await rawBackend(stack, backend);
    try {
      const before = (await keysOfTeam(raw, team.teamId)).sort();
      await deliverEvent(stack, team.teamId, tokensRevokedEvent({ oauth: [team.installer] }));
      expect((await keysOfTeam(raw, team.teamId)).sort()).toEqual(before);
    } finally {
      await raw.close();
    }
    expect(log.find('user tokens revoked; the app holds nothing for user tokens')).toEqual([
      expect.objectContaining({ team: team.teamId, userTokens: 1 }),
    ]);
  });
});

describe('tokens_revoked in single-workspace mode', () => {
  const log = new LogCapture();
  const stackOf = useLocalStack({ logDestination: log.destination });

  it('says what to do and deletes nothing: the token is SLACK_BOT_TOKEN, which only an admin replaces', async () => {
    const stack = stackOf();
    const ref = { teamId: SEED.team.id };
    const before = await stack.app.services.store.workspaces.get(ref);
    expect(before.orgs.length).toBeGreaterThan(0);
    await deliverEvent(stack, SEED.team.id, tokensRevokedEvent({ bot: [SEED.botUserId] }));
    expect(await stack.app.services.store.workspaces.get(ref)).toEqual(before);
    expect(
      log.find(
        'the bot token was revoked: install the app again and set SLACK_BOT_TOKEN to the new token; settings are kept',
      ),
    ).toEqual([expect.objectContaining({ team: SEED.team.id })]);
  });
});

/**
 * tokens_revoked in OAuth mode, end to end: a revoked bot token clears the team like an uninstall;
 * revoked user tokens alone leave everything in place (the app holds no user tokens).
 */
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
import { LogCapture, useLocalStack } from '../../support/stack';

describeOAuthBackends('tokens_revoked', (backend, storeUrl) => {
  const log = new LogCapture();
  const stackOf = useLocalStack(oauthStackOptions(storeUrl, { logDestination: log.destination }));

  it('with the bot listed, deletes every key of that team and nothing of another', async () => {
    const stack = stackOf();
    const [revoked, other] = [await installTeam(stack), await installTeam(stack)];
    await connectOrg(stack, revoked);
    await connectOrg(stack, other);
    const botUserId = stack.slack.workspace.team(revoked.teamId)?.botUserId as string;
    const raw = await rawBackend(stack, backend);
    try {
      const otherKeys = (await keysOfTeam(raw, other.teamId)).sort();
      expect(otherKeys.length).toBeGreaterThan(1);

      await deliverEvent(stack, revoked.teamId, tokensRevokedEvent({ bot: [botUserId] }));

      expect(await keysOfTeam(raw, revoked.teamId)).toEqual([]);
      expect((await keysOfTeam(raw, other.teamId)).sort()).toEqual(otherKeys);
    } finally {
      await raw.close();
    }
    expect(log.find('deleted everything held for the workspace')).toEqual([
      expect.objectContaining({ team: revoked.teamId, installations: 1, orgs: 1 }),
    ]);
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

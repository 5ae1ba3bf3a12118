/**
 * app_uninstalled in OAuth mode, end to end: two installed teams with orgs (and a digest in one),
 * the signed event from one of them, and a raw scan of the backend afterwards.
 */

import type { LocalStack } from '../../../dev/local-stack';
import { appUninstalledEvent } from '../../../dev/slack-stand-in';
import {
  commandFrom,
  connectOrg,
  deliverEvent,
  describeOAuthBackends,
  type InstalledTeam,
  installTeam,
  keysOfTeam,
  oauthStackOptions,
  rawBackend,
} from '../../slack/oauth-support';
import { takeTurnsOnSharedServers } from '../../support/shared-servers';
import { LogCapture, useLocalStack } from '../../support/stack';

// Redis and PostgreSQL hold the app's one namespace: files using them take turns.
takeTurnsOnSharedServers();

/** A team with an org connected and a weekly digest in its billing channel. */
async function busyTeam(stack: LocalStack): Promise<InstalledTeam> {
  const team = await installTeam(stack);
  expect((await connectOrg(stack, team)).status).toBe(200);
  const { responseUrl } = await commandFrom(stack, team, `digest <#${team.channel}|billing> mon 09:00 UTC`);
  await stack.slack.waitForResponse(responseUrl, undefined, 5_000);
  const ref = { teamId: team.teamId };
  expect((await stack.app.services.store.workspaces.get(ref)).orgs).toHaveLength(1);
  expect(await stack.app.services.digests.schedules.listFor(ref)).toHaveLength(1);
  return team;
}

describeOAuthBackends('app_uninstalled', (backend, storeUrl) => {
  const log = new LogCapture();
  const stackOf = useLocalStack(oauthStackOptions(storeUrl, { logDestination: log.destination }));

  it('deletes every key of that team and nothing of another, logging counts only', async () => {
    const stack = stackOf();
    const [gone, staying] = [await busyTeam(stack), await busyTeam(stack)];
    const raw = await rawBackend(stack, backend);
    try {
      expect((await keysOfTeam(raw, gone.teamId)).length).toBeGreaterThan(2);
      const stayingKeys = (await keysOfTeam(raw, staying.teamId)).sort();

      const ack = await deliverEvent(stack, gone.teamId, appUninstalledEvent());
      expect(ack.status).toBe(200);

      expect(await keysOfTeam(raw, gone.teamId)).toEqual([]);
      expect((await keysOfTeam(raw, staying.teamId)).sort()).toEqual(stayingKeys);
    } finally {
      await raw.close();
    }
    const [entry] = log.find('deleted everything held for the workspace');
    expect(entry).toMatchObject({
      team: gone.teamId,
      workspaces: 1,
      installations: 1,
      orgs: 1,
      viewers: 0,
      digestSchedules: 1,
      keys: expect.any(Number),
    });
    const org = stack.emulator.orgs[0];
    expect(JSON.stringify(entry)).not.toContain(org?.apiKey);
    expect(JSON.stringify(entry)).not.toContain(gone.botToken);

    // The other team still works with its own token; the uninstalled one is no longer answered.
    await commandFrom(stack, staying, 'connect');
    expect((await stack.slack.waitForCall('views.open', (call) => call.teamId === staying.teamId, 5_000)).token).toBe(
      staying.botToken,
    );
    stack.slack.resetRecords();
    await commandFrom(stack, gone, 'connect');
    await expect(stack.slack.waitForCall('views.open', () => true, 300)).rejects.toThrow();
  });

  it('lets the team reinstall and start clean', async () => {
    const stack = stackOf();
    const team = await busyTeam(stack);
    await deliverEvent(stack, team.teamId, appUninstalledEvent());
    stack.slack.workspace.revokeToken(team.teamId);

    const again = await installTeam(stack, { teamId: team.teamId, installerUserId: team.installer });
    expect(again.botToken).not.toBe(team.botToken);
    const ref = { teamId: team.teamId };
    expect((await stack.app.services.store.workspaces.get(ref)).orgs).toEqual([]);
    expect(await stack.app.services.digests.schedules.listFor(ref)).toEqual([]);
    await commandFrom(stack, again, 'connect');
    expect((await stack.slack.waitForCall('views.open', (call) => call.teamId === team.teamId, 5_000)).token).toBe(
      again.botToken,
    );
    // The uninstall's tombstone refuses writes until the reinstall lifted it.
    expect(await stack.app.services.store.workspaces.isDeleted(ref)).toBe(false);
    expect((await connectOrg(stack, again)).status).toBe(200);
    expect((await stack.app.services.store.workspaces.get(ref)).orgs).toHaveLength(1);
  });

  it('is harmless when repeated, or for a team that holds nothing', async () => {
    const stack = stackOf();
    const team = await installTeam(stack);
    await deliverEvent(stack, team.teamId, appUninstalledEvent());
    await deliverEvent(stack, team.teamId, appUninstalledEvent());
    const entries = log.find('deleted everything held for the workspace').filter((entry) => entry.team === team.teamId);
    expect(entries).toEqual([
      expect.objectContaining({ installations: 1 }),
      expect.objectContaining({ installations: 0, keys: 0 }),
    ]);
  });
});

/**
 * The audit trail end to end: changes made through real commands and the connect modal are recorded
 * by the handlers that make them, and `/viam-usage audit` shows them, newest first, to admins and
 * connectors only.
 */
import { ackJson, blocksText, CHANNELS, connectValues, SEED, USERS, useLocalStack } from '../../support/stack';

const stackOf = useLocalStack(
  { connectDemoOrg: false },
  {
    async reset(stack) {
      // The trail is append-only, so each test starts from an uninstall and a reinstall: nothing of the workspace left.
      const { workspaces } = stack.app.services.store;
      await workspaces.deleteWorkspace({ teamId: SEED.team.id });
      await workspaces.reviveWorkspace({ teamId: SEED.team.id });
    },
  },
);

async function connectAcme(user: string = USERS.ada): Promise<void> {
  const org = stackOf().emulator.orgs[0];
  if (!org) throw new Error('the emulator fixture has no org');
  const response = await stackOf().submitView(
    'viam_usage.connect_org',
    connectValues({ orgId: org.orgId, apiKeyId: org.apiKeyId, apiKey: org.apiKey, label: 'acme' }),
    { user, privateMetadata: JSON.stringify({ channelId: CHANNELS.billing }) },
  );
  expect(ackJson(response.body)).toMatchObject({ response_action: 'update' });
}

async function auditText(user: string = USERS.ada): Promise<string> {
  const { answer } = await stackOf().command('audit', { user });
  if (!answer) throw new Error('no answer to audit');
  return blocksText(answer.body);
}

describe('/viam-usage audit', () => {
  it('shows who connected, changed access and digests, and disconnected, newest first', async () => {
    const stack = stackOf();
    await connectAcme();
    await stack.command(`access add <@${USERS.mei}|mei>`);
    await stack.command(`access remove <@${USERS.mei}|mei>`);
    await stack.command(`digest <#${CHANNELS.billing}|billing> mon 09:00 UTC`, { user: USERS.grace });
    await stack.command(`digest off <#${CHANNELS.billing}|billing>`, { user: USERS.grace });
    await stack.command('disconnect acme');

    const lines = (await auditText(USERS.grace)).split('\n').filter((line) => line.startsWith('•'));
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(new RegExp(`<@${USERS.ada}> disconnected \`acme\``));
    expect(lines[1]).toContain(`<@${USERS.grace}> stopped the weekly digest in <#${CHANNELS.billing}>`);
    expect(lines[2]).toContain(`<@${USERS.grace}> set the weekly digest in <#${CHANNELS.billing}> (mon 09:00 UTC)`);
    expect(lines[3]).toContain(`<@${USERS.ada}> removed <@${USERS.mei}>’s view access`);
    expect(lines[4]).toContain(`<@${USERS.ada}> gave <@${USERS.mei}> view access`);
    expect(lines[5]).toContain(`<@${USERS.ada}> connected \`acme\``);
    // Stamped with the app's clock (FIXED_NOW, Nov 26 15:00 UTC), shown in the caller's zone (grace: Los Angeles).
    expect(lines[0]).toContain('Nov 26, 07:00');

    const stored = await stack.app.services.audit.latest({ teamId: SEED.team.id }, 10);
    expect(stored.map((entry) => entry.action)).toEqual([
      'org.disconnected',
      'digest.stopped',
      'digest.set',
      'access.revoked',
      'access.granted',
      'org.connected',
    ]);
    expect(stored[5]).toMatchObject({ actor: USERS.ada, org: 'acme', orgId: stack.emulator.orgs[0]?.orgId });
  });

  it('says so when nothing was recorded yet', async () => {
    expect(await auditText()).toContain('No changes recorded yet');
  });

  it('is refused to a member who neither administers nor connected anything, and records nothing for them', async () => {
    await connectAcme();
    const { answer } = await stackOf().command('audit', { user: USERS.linus });
    const text = blocksText(answer?.body ?? {});
    expect(text).not.toContain('connected `acme`');
    expect(text).toContain('Only workspace admins and whoever connected an org can change Viam billing settings here.');
    // The refused `access add` left no entry either.
    await stackOf().command(`access add <@${USERS.linus}|linus>`, { user: USERS.linus });
    const actions = (await stackOf().app.services.audit.latest({ teamId: SEED.team.id }, 10)).map((e) => e.action);
    expect(actions).toEqual(['org.connected']);
  });

  it('shows only the latest 20 of a longer trail', async () => {
    const stack = stackOf();
    for (let index = 0; index < 25; index++) {
      await stack.app.services.audit.record(
        { teamId: SEED.team.id },
        { action: 'access.granted', actor: USERS.ada, subject: USERS.mei },
      );
    }
    const lines = (await auditText()).split('\n').filter((line) => line.startsWith('•'));
    expect(lines).toHaveLength(20);
  });
});

/**
 * Who may see and change Viam billing, end to end: users.info on the stand-in decides who is an admin,
 * the store decides who connected an org and who was granted access.
 */
import { SEED, USERS, useLocalStack, workspaceOf } from '../support/stack';

const ref = { teamId: SEED.team.id };

const stackOf = useLocalStack(
  {},
  {
    async reset(stack) {
      const workspaces = stack.app.services.store.workspaces;
      const workspace = await workspaces.get(ref);
      for (const org of workspace.orgs) if (org.label !== 'default') await workspaces.disconnectOrg(ref, org.label);
      for (const viewer of workspace.viewers) await workspaces.revokeViewer(ref, viewer);
    },
  },
);

const NO_ACCESS =
  /^You don’t have access to Viam billing in this workspace\. Ask (.+) to run `\/viam-usage access add @you`\.$/;
const NO_MANAGE =
  /^Only workspace admins and whoever connected an org can change Viam billing settings here\. Ask (.+)\.$/;

/** Mei (a member, not an admin) connects the second demo org herself. */
async function meiConnectsAnOrg(): Promise<void> {
  const stack = stackOf();
  const org = stack.emulator.orgs[1];
  if (!org) throw new Error('the emulator fixture has no second org');
  await stack.app.services.store.workspaces.connectOrg(ref, {
    label: 'rivet',
    orgId: org.orgId,
    apiKey: { id: org.apiKeyId, key: org.apiKey },
    connectedBy: USERS.mei,
  });
}

describe('viewing billing', () => {
  it('a member without access is refused politely, told whom to ask, and Viam is not called', async () => {
    const stack = stackOf();
    for (const text of ['', 'usage', 'invoices', 'billing', 'orgs', 'invoice in_1Q5dwGLzZ8juh4cDOAY1alln']) {
      const { answer } = await stack.command(text, { user: USERS.linus });
      expect(answer?.body.response_type).toBe('ephemeral');
      expect(answer?.body.text).toMatch(NO_ACCESS);
    }
    // The org came from the environment: there is no person to name, so an admin is.
    const { answer } = await stack.command('usage', { user: USERS.linus });
    expect(answer?.body.text).toContain('Ask a workspace admin to run');
    expect(answer?.body.text).not.toContain(SEED.botUserId);
    expect(stack.emulator.knobs.callCount('Authenticate') + stack.emulator.knobs.callCount('GetInvoicePdf')).toBe(0);
    expect(stack.slack.calls('files.getUploadURLExternal')).toEqual([]);
  });

  it('the refusal names whoever connected an org', async () => {
    await meiConnectsAnOrg();
    const { answer } = await stackOf().command('billing', { user: USERS.linus });
    expect(answer?.body.text).toBe(
      `You don’t have access to Viam billing in this workspace. Ask <@${USERS.mei}> to run \`/viam-usage access add @you\`.`,
    );
  });

  it('after access add the member can read; after access remove no longer', async () => {
    const stack = stackOf();
    await stack.command(`access add <@${USERS.linus}|linus>`, { user: USERS.ada });
    const allowed = await stack.command('billing', { user: USERS.linus });
    expect(allowed.answer?.body.text).toContain('Payment method');
    const overview = await stack.command('', { user: USERS.linus });
    expect(overview.answer?.body.text).toMatch(/^Viam billing for default\./);

    await stack.command(`access remove <@${USERS.linus}|linus>`, { user: USERS.grace });
    const refused = await stack.command('billing', { user: USERS.linus });
    expect(refused.answer?.body.text).toMatch(NO_ACCESS);
  });

  it('admins read without being granted, and a viewer may not manage', async () => {
    const stack = stackOf();
    const admin = await stack.command('billing', { user: USERS.grace });
    expect(admin.answer?.body.text).toContain('Payment method');

    await stack.command(`access add <@${USERS.linus}>`, { user: USERS.ada });
    const manage = await stack.command(`access add <@${USERS.mei}>`, { user: USERS.linus });
    expect(manage.answer?.body.text).toMatch(NO_MANAGE);
    expect((await workspaceOf(stack)).viewers).toEqual([USERS.linus]);
  });
});

describe('managing the workspace', () => {
  it('connect, disconnect and access by a member who connected nothing are refused and change nothing', async () => {
    const stack = stackOf();
    const connect = await stack.command('connect', { user: USERS.linus });
    expect(connect.answer?.body.text).toMatch(NO_MANAGE);
    expect(stack.slack.calls('views.open')).toEqual([]);

    const disconnect = await stack.command('disconnect default', { user: USERS.linus });
    expect(disconnect.answer?.body.text).toMatch(NO_MANAGE);

    for (const text of [`access add <@${USERS.linus}>`, `access remove <@${USERS.linus}>`, 'access list']) {
      const { answer } = await stack.command(text, { user: USERS.linus });
      expect(answer?.body.text).toMatch(NO_MANAGE);
    }
    const workspace = await workspaceOf(stack);
    expect(workspace.orgs.map((org) => org.label)).toEqual(['default']);
    expect(workspace.viewers).toEqual([]);
  });

  it('a workspace admin may connect, grant access and disconnect', async () => {
    const stack = stackOf();
    const connect = await stack.command('connect', { user: USERS.grace, waitForAnswer: false });
    expect(connect.ack.status).toBe(200);
    await expect(stack.slack.waitForCall('views.open')).resolves.toMatchObject({ ok: true });

    const granted = await stack.command(`access add <@${USERS.mei}>`, { user: USERS.grace });
    expect(granted.answer?.body.text).toBe(`<@${USERS.mei}> can now see Viam billing in this workspace.`);

    await meiConnectsAnOrg();
    const disconnect = await stack.command('disconnect rivet', { user: USERS.grace });
    expect(disconnect.answer?.body.text).toMatch(/^Disconnected `rivet`\./);
  });

  it('whoever connected an org may manage without being an admin', async () => {
    await meiConnectsAnOrg();
    const stack = stackOf();
    const granted = await stack.command(`access add <@${USERS.linus}>`, { user: USERS.mei });
    expect(granted.answer?.body.text).toBe(`<@${USERS.linus}> can now see Viam billing in this workspace.`);
    const listed = await stack.command('access list', { user: USERS.mei });
    expect(listed.answer?.body.text).toContain(`whoever connected an org (`);
    expect(listed.answer?.body.text).toContain(`<@${USERS.mei}>`);
    const connect = await stack.command('connect', { user: USERS.mei, waitForAnswer: false });
    expect(connect.ack.status).toBe(200);
    await expect(stack.slack.waitForCall('views.open')).resolves.toMatchObject({ ok: true });
  });
});

import { ORG_CHECK_QUEUE, orgCheckMember, scheduleOrgCheck } from '../../src/alerts/check-times';
import { disconnectConnectedOrg } from '../../src/services/disconnect-org';
import { REF, type SettingsFixture, settingsFixture } from './settings-support';

describe('disconnectConnectedOrg', () => {
  let fixture: SettingsFixture;
  beforeEach(async () => {
    fixture = await settingsFixture();
  });
  afterEach(async () => {
    await fixture.close();
  });

  it('forgets the org and its key, and audits it', async () => {
    const workspace = await fixture.store.workspaces.connectOrg(REF, {
      label: 'acme',
      orgId: 'bb51faf9-edae-49a7-9d27-42b2ba8b7144',
      apiKey: { id: '02a54480-750f-4016-96d8-49fa1834e5d2', key: 'a-secret-that-is-long-enough' },
      connectedBy: 'U0ADA',
    });
    const [org] = workspace.orgs;
    if (!org) throw new Error('the org was not connected');
    await scheduleOrgCheck(fixture.store, REF, org.orgId, new Date());
    await disconnectConnectedOrg(fixture.actor, org);
    expect((await fixture.store.workspaces.get(REF)).orgs).toEqual([]);
    expect(await fixture.store.due.get(ORG_CHECK_QUEUE, orgCheckMember(REF, org.orgId))).toBeUndefined();
    await expect(fixture.store.workspaces.revealApiKey(REF, 'acme')).rejects.toMatchObject({ kind: 'not_found' });
    expect(await fixture.actor.services.audit.latest(REF, 1)).toEqual([
      expect.objectContaining({ action: 'org.disconnected', actor: 'U0GRACE', org: 'acme', orgId: org.orgId }),
    ]);
  });

  it('keeps the hourly checks of an org still connected under another label', async () => {
    const input = {
      orgId: 'bb51faf9-edae-49a7-9d27-42b2ba8b7144',
      apiKey: { id: '02a54480-750f-4016-96d8-49fa1834e5d2', key: 'a-secret-that-is-long-enough' },
      connectedBy: 'U0ADA',
    };
    await fixture.store.workspaces.connectOrg(REF, { label: 'acme', ...input });
    const workspace = await fixture.store.workspaces.connectOrg(REF, { label: 'acme-copy', ...input });
    await scheduleOrgCheck(fixture.store, REF, input.orgId, new Date());
    const [first] = workspace.orgs;
    if (!first) throw new Error('the org was not connected');
    await disconnectConnectedOrg(fixture.actor, first);
    expect(await fixture.store.due.get(ORG_CHECK_QUEUE, orgCheckMember(REF, input.orgId))).toBeDefined();
  });
});

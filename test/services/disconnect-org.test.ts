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
    await disconnectConnectedOrg(fixture.actor, org);
    expect((await fixture.store.workspaces.get(REF)).orgs).toEqual([]);
    await expect(fixture.store.workspaces.revealApiKey(REF, 'acme')).rejects.toMatchObject({ kind: 'not_found' });
    expect(await fixture.actor.services.audit.latest(REF, 1)).toEqual([
      expect.objectContaining({ action: 'org.disconnected', actor: 'U0GRACE', org: 'acme', orgId: org.orgId }),
    ]);
  });
});

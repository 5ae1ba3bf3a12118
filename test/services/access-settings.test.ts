import { grantViewAccess, revokeViewAccess } from '../../src/services/access-settings';
import { REF, type SettingsFixture, settingsFixture } from './settings-support';

describe('grantViewAccess and revokeViewAccess', () => {
  let fixture: SettingsFixture;
  beforeEach(async () => {
    fixture = await settingsFixture();
  });
  afterEach(async () => {
    await fixture.close();
  });

  it('change the viewers and audit each change', async () => {
    await grantViewAccess(fixture.actor, 'U0LINUS');
    await grantViewAccess(fixture.actor, 'U0MEI');
    await revokeViewAccess(fixture.actor, 'U0LINUS');
    expect((await fixture.store.workspaces.get(REF)).viewers).toEqual(['U0MEI']);
    expect(
      (await fixture.actor.services.audit.latest(REF, 5)).map((entry) => [entry.action, entry.subject, entry.actor]),
    ).toEqual([
      ['access.revoked', 'U0LINUS', 'U0GRACE'],
      ['access.granted', 'U0MEI', 'U0GRACE'],
      ['access.granted', 'U0LINUS', 'U0GRACE'],
    ]);
  });
});

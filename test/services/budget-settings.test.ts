import { z } from 'zod';
import { currentBudget, removeBudget, saveBudget } from '../../src/services/budget-settings';
import { NOW, REF as ref, type SettingsFixture, settingsFixture } from './settings-support';

const org = { label: 'acme', orgId: 'o-1', apiKeyId: 'k-1', connectedBy: 'U0ADA', connectedAt: NOW.toISOString() };

describe('budget settings from the Home tab', () => {
  let fixture: SettingsFixture;

  beforeEach(async () => {
    fixture = await settingsFixture();
  });

  afterEach(async () => {
    await fixture.close();
  });

  it('saves a budget and audits it', async () => {
    const saved = await saveBudget(fixture.actor, org, { amount: 1234.567, channelId: 'C0BILLING0' });
    expect(saved).toMatchObject({ orgId: 'o-1', amount: 1234.57, channelId: 'C0BILLING0', setBy: 'U0GRACE' });
    expect(await currentBudget(fixture.actor, 'o-1')).toEqual({ budget: saved, unreadable: false });
    expect(await fixture.actor.services.audit.latest(ref, 1)).toEqual([
      expect.objectContaining({ action: 'budget.set', actor: 'U0GRACE', org: 'acme', orgId: 'o-1', amount: 1234.57 }),
    ]);
  });

  it('removes a budget and audits it; removing nothing audits nothing', async () => {
    await saveBudget(fixture.actor, org, { amount: 10, channelId: 'C0BILLING0' });
    expect(await removeBudget(fixture.actor, org)).toBe(true);
    expect(await currentBudget(fixture.actor, 'o-1')).toEqual({ unreadable: false });
    expect(await removeBudget(fixture.actor, org)).toBe(false);
    expect((await fixture.actor.services.audit.latest(ref, 5)).map((entry) => entry.action)).toEqual([
      'budget.removed',
      'budget.set',
    ]);
  });

  it('says when a saved budget can no longer be read, and removing it clears the way for a new one', async () => {
    const garbage = fixture.store.records({ kind: 'budget', version: 1, schema: z.object({ amount: z.string() }) });
    await garbage.set(ref, 'o-1', { amount: 'lots' });
    expect(await currentBudget(fixture.actor, 'o-1')).toEqual({ unreadable: true });
    expect(await removeBudget(fixture.actor, org)).toBe(true);
    await saveBudget(fixture.actor, org, { amount: 20, channelId: 'C0BILLING0' });
    expect((await currentBudget(fixture.actor, 'o-1')).budget).toMatchObject({ amount: 20 });
  });
});

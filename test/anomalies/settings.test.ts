/**
 * Anomaly settings changed through two store instances at once keep both changes, and a change over
 * unreadable settings starts from the defaults, as reading them does.
 */
import { AnomalySettingsStore } from '../../src/anomalies/settings';
import { describeEachBackend, useBackend } from '../store/support';

const TEAM = { teamId: 'T0ANOMAL01' };
const ORG = 'org-anomaly-1';

describeEachBackend('anomaly settings', (backend) => {
  const ctx = useBackend(backend);

  it('keeps changes to different fields made through two instances at the same moment', async () => {
    const [a, b] = [await ctx.open(), await ctx.open()];
    const [first, second] = [new AnomalySettingsStore(a, ctx.log.logger), new AnomalySettingsStore(b, ctx.log.logger)];
    for (let round = 0; round < 20; round++) {
      await Promise.all([
        first.change(TEAM, ORG, { enabled: round % 2 === 0 }),
        second.change(TEAM, ORG, { minDailyUsd: 100 + round }),
      ]);
      expect(await first.get(TEAM, ORG)).toMatchObject({ enabled: round % 2 === 0, minDailyUsd: 100 + round });
    }
  });

  it('starts a change over unreadable settings from the defaults and replaces them', async () => {
    const store = await ctx.open();
    const settings = new AnomalySettingsStore(store, ctx.log.logger);
    const raw = await ctx.raw();
    await raw.put(`${ctx.namespace}:ws:${TEAM.teamId}:anomaly-settings:${ORG}`, 'not json');
    const defaults = await settings.get(TEAM, ORG);
    const changed = await settings.change(TEAM, ORG, { minIncreasePct: 75 });
    expect(changed).toEqual({ ...defaults, minIncreasePct: 75 });
    expect(await settings.get(TEAM, ORG)).toEqual(changed);
  });
});

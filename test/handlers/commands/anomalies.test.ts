/** `/viam-usage anomalies` end to end: settings shown to viewers, changed by managers, audited. */
import { ANOMALY_SETTINGS_RECORD } from '../../../src/anomalies/settings';
import { CHANNELS, messageText, SEED, USERS, useLocalStack } from '../../support/stack';

const ref = { teamId: SEED.team.id };

const stackOf = useLocalStack(
  {},
  {
    async reset(stack) {
      const orgId = stack.emulator.orgs[0]?.orgId ?? '';
      await stack.app.services.store.records(ANOMALY_SETTINGS_RECORD).delete(ref, orgId);
      await stack.app.services.budgets.remove(ref, orgId);
    },
  },
);

async function say(text: string, user: string = USERS.ada): Promise<string> {
  const { answer } = await stackOf().command(text, { user, channel: CHANNELS.billing });
  return messageText(answer?.body);
}

describe('/viam-usage anomalies', () => {
  it('shows the defaults and says no alert channel is set yet', async () => {
    const shown = await say('anomalies');
    expect(shown).toContain('Anomaly alerts for default are *on*');
    expect(shown).toContain('at least $20.00 and at least 50% more than its usual day');
    expect(shown).toContain('none is set yet, so nothing is sent');
  });

  it('a manager changes them; they are saved, audited and name the alert channel', async () => {
    const stack = stackOf();
    const orgId = stack.emulator.orgs[0]?.orgId ?? '';
    await stack.app.services.budgets.set(ref, {
      orgId,
      amount: 1000,
      channelId: CHANNELS.finance,
      setBy: USERS.ada,
      setAt: new Date().toISOString(),
    });
    const shown = await say('anomalies off --min 35 --pct=80', USERS.grace);
    expect(shown).toContain('Saved. Anomaly alerts for default are *off*.');
    expect(shown).toContain(`Alerts go to <#${CHANNELS.finance}>`);
    expect(await stack.app.services.store.records(ANOMALY_SETTINGS_RECORD).get(ref, orgId)).toEqual({
      orgId,
      enabled: false,
      minDailyUsd: 35,
      minIncreasePct: 80,
    });
    const [entry] = await stack.app.services.audit.latest(ref, 1);
    expect(entry).toMatchObject({ action: 'anomalies.changed', actor: USERS.grace, detail: 'off, $35.00/day, 80%' });

    expect(await say('anomalies on')).toContain(
      'are *on*: a cost line or category alerts when its last 24 hours cost at least $35.00 and at least 80%',
    );
  });

  it('someone who may not manage cannot change them, and nothing is saved', async () => {
    const stack = stackOf();
    const shown = await say('anomalies off', USERS.linus);
    expect(shown).toMatch(/admin|connected/i);
    const orgId = stack.emulator.orgs[0]?.orgId ?? '';
    expect(await stack.app.services.store.records(ANOMALY_SETTINGS_RECORD).get(ref, orgId)).toBeUndefined();
  });
});

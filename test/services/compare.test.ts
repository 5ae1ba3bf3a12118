/**
 * `/viam-usage compare` end to end: this month from the emulator over gRPC, last month's point from
 * snapshots in the app's store, invoices from the emulator.
 */
import { SNAPSHOT_DAY_RECORD, type UsageSnapshot, UsageSnapshots } from '../../src/digest/snapshots';
import { CHANNELS, FIXED_NOW, messageText, SEED, useLocalStack } from '../support/stack';

const stackOf = useLocalStack(
  {},
  {
    // Each test starts without October's history.
    reset: async (stack) => {
      const days = stack.app.services.store.records(SNAPSHOT_DAY_RECORD);
      const orgId = stack.emulator.orgs[0]?.orgId;
      for (let day = 20; day <= 31; day++) await days.delete({ teamId: SEED.team.id }, `${orgId}:2026-10-${day}`);
    },
  },
);

function octoberSnapshot(takenAt: string, subtotal: number): UsageSnapshot {
  return {
    takenAt,
    source: 'hourly',
    periodStart: '2026-10-01T00:00:00.000Z',
    periodEnd: '2026-10-31T23:59:59.999Z',
    subtotal,
    categories: { storage: subtotal, compute: 0, data_transfer: 0, other: 0 },
    lines: {},
  };
}

async function usageNow(): Promise<number> {
  const stack = stackOf();
  const org = stack.emulator.orgs[0];
  if (!org) throw new Error('no org');
  return (await stack.app.services.billing.getCurrentMonthUsage({ id: org.apiKeyId, key: org.apiKey }, org.orgId))
    .subtotal;
}

describe('/viam-usage compare', () => {
  it('sets this month against the same point of last month from stored snapshots', async () => {
    const stack = stackOf();
    const org = stack.emulator.orgs[0];
    if (!org) throw new Error('no org');
    const snapshots = new UsageSnapshots(stack.app.services.store, () => FIXED_NOW);
    await snapshots.add({ teamId: SEED.team.id }, org.orgId, octoberSnapshot('2026-10-26T12:00:00Z', 100));
    await snapshots.add({ teamId: SEED.team.id }, org.orgId, octoberSnapshot('2026-10-26T18:00:00Z', 106));

    const { answer } = await stack.command('compare', { channel: CHANNELS.billing });
    const shown = messageText(answer?.body);
    const current = await usageNow();
    const expected = `$${(current - 103).toFixed(2)}`;
    expect(shown).toContain('Month over month · default');
    expect(shown).toContain('against $103.00 at the same point last period (Oct 26, 2026)');
    expect(shown).toContain(`+${expected}`);
    expect(shown).toMatch(/Last \d+ invoices/);
  });

  it('says plainly when there is no history of last month yet', async () => {
    const stack = stackOf();
    const { answer } = await stack.command('compare', { channel: CHANNELS.billing });
    expect(messageText(answer?.body)).toContain('There is no figure for the same point of last period yet');
  });
});

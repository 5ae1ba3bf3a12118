/** What the Home tab shows each user, loaded through the app's own services against the stack. */
import { webApi } from '@slack/bolt';
import { AlertLedger, budgetAlertId } from '../../src/alerts/ledger';
import { isPartError } from '../../src/blocks/message';
import { type HomeReader, loadHome } from '../../src/home/dashboard';
import { CHANNELS, FIXED_NOW, SEED, USERS, useLocalStack } from '../support/stack';
import { connectFarms, resetHomeState, TEAM } from './home-stack';

const stackOf = useLocalStack({}, { reset: resetHomeState });

function readerFor(userId: string): HomeReader {
  const stack = stackOf();
  return {
    ref: TEAM,
    userId,
    client: new webApi.WebClient(SEED.botToken, { slackApiUrl: stack.config.slack.apiUrl }),
    logger: stack.logger,
    services: stack.app.services,
  };
}

describe('loadHome', () => {
  it('gives a viewer every org with its reads, budget, alerted thresholds and digests, and no management', async () => {
    const stack = stackOf();
    const { services } = stack.app;
    const acme = stack.emulator.orgs[0];
    if (!acme) throw new Error('no demo org');
    await connectFarms(stack);
    await services.store.workspaces.grantViewer(TEAM, USERS.linus);
    const budget = await services.budgets.set(TEAM, {
      orgId: acme.orgId,
      amount: 500,
      channelId: CHANNELS.billing,
      setBy: USERS.ada,
      setAt: FIXED_NOW.toISOString(),
    });
    const periodStart = new Date('2026-11-01T00:00:00Z');
    await new AlertLedger(services.store).put(TEAM, {
      orgId: acme.orgId,
      alertId: budgetAlertId(periodStart, budget.amountSetAt, 'spent-50'),
      state: 'posted',
      attempts: 1,
      updatedAt: FIXED_NOW.toISOString(),
    });
    // Saved with the label spelled another way: it still belongs to `farms`.
    await services.digests.schedules.set(TEAM, {
      channelId: CHANNELS.general,
      orgLabel: 'FARMS',
      weekday: 'wed',
      time: '08:15',
      timeZone: 'Asia/Tokyo',
      createdBy: USERS.ada,
      createdAt: FIXED_NOW.toISOString(),
    });

    const home = await loadHome(readerFor(USERS.linus));
    if (home.kind !== 'dashboard') throw new Error(`expected the dashboard, got ${home.kind}`);
    expect(home.canManage).toBe(false);
    expect(home.timeZone).toBe('Europe/Helsinki');
    expect(home.orgs.map((org) => [org.label, org.isDefault])).toEqual([
      ['default', true],
      ['farms', false],
    ]);
    const [first, second] = home.orgs;
    if (!first || !second || isPartError(first.billing)) throw new Error('both orgs should have loaded');
    expect(first.billing.usage).toMatchObject({ subtotal: 290.23 });
    expect(first.budget).toEqual({ amount: 500, channelId: CHANNELS.billing, alerted: ['spent-50'] });
    expect(first.schedules).toEqual([]);
    expect(second.budget).toBeUndefined();
    expect(second.schedules).toEqual([
      expect.objectContaining({ channelId: CHANNELS.general, nextRun: new Date('2026-12-01T23:15:00Z') }),
    ]);
  });

  it('gives an admin management', async () => {
    const home = await loadHome(readerFor(USERS.grace));
    expect(home).toMatchObject({ kind: 'dashboard', canManage: true, timeZone: 'America/Los_Angeles' });
  });

  it('names who to ask, never the app itself, for someone without access, and reads nothing from Viam', async () => {
    const stack = stackOf();
    expect(await loadHome(readerFor(USERS.mei))).toEqual({ kind: 'no-access', askUserIds: [] });
    await connectFarms(stack, USERS.grace);
    expect(await loadHome(readerFor(USERS.mei))).toEqual({ kind: 'no-access', askUserIds: [USERS.grace] });
    expect(stack.emulator.knobs.callCount('GetCurrentMonthUsage')).toBe(0);
  });
});

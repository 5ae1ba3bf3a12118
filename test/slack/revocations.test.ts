/**
 * The revoked-installation purge (src/slack/revocations.ts) on each backend: it waits out the
 * retention period, purges once even when two replicas tick at the same moment (each with its own store
 * connection, as two processes have), and lets a reinstall cancel it.
 */
import { silentLogger } from '../../src/logger';
import { KeyvInstallationStore } from '../../src/slack/installation-store';
import { REVOKED_PURGE_QUEUE, Revocations } from '../../src/slack/revocations';
import type { Store } from '../../src/store';
import { describeEachBackend, useBackend } from '../store/support';
import { workspaceInstallation } from '../support/installations';

const DAY_MS = 24 * 60 * 60_000;
const REVOKED_AT = new Date('2026-11-01T12:00:00Z');

const installation = (teamId: string) => workspaceInstallation(teamId, `xoxb-${teamId}-revocation`);

describeEachBackend('revoked installations', (backend) => {
  const ctx = useBackend(backend);

  /** A replica's view: its own store connection, installations and purge ticker, each purge counted. */
  async function replica(purged: string[]) {
    const store: Store = await ctx.open({ now: () => REVOKED_AT });
    const installations = new KeyvInstallationStore({ store, logger: silentLogger(), now: () => REVOKED_AT });
    const revocations = new Revocations({
      store,
      installations,
      retentionDays: 30,
      purge: async (scope) => {
        purged.push(scope.teamId ?? '');
        await store.workspaces.deleteWorkspace({ teamId: scope.teamId ?? '' });
      },
      logger: silentLogger(),
      now: () => REVOKED_AT,
    });
    return { store, installations, revocations };
  }

  it('purges once after the retention period, with two replicas ticking at the same moment', async () => {
    const purged: string[] = [];
    const [first, second] = [await replica(purged), await replica(purged)];
    await first.installations.storeInstallation(installation('T0REVOKE1'));
    expect(await first.revocations.revoke({ teamId: 'T0REVOKE1', isEnterpriseInstall: false })).toBe(true);
    expect(await first.store.due.get(REVOKED_PURGE_QUEUE, 'T0REVOKE1')).toEqual(
      new Date(REVOKED_AT.getTime() + 30 * DAY_MS),
    );

    const early = new Date(REVOKED_AT.getTime() + 30 * DAY_MS - 60_000);
    await Promise.all([first.revocations.ticker.tick(early), second.revocations.ticker.tick(early)]);
    expect(purged).toEqual([]);

    const due = new Date(REVOKED_AT.getTime() + 30 * DAY_MS + 60_000);
    await Promise.all([first.revocations.ticker.tick(due), second.revocations.ticker.tick(due)]);
    expect(purged).toEqual(['T0REVOKE1']);
    expect(await first.store.due.get(REVOKED_PURGE_QUEUE, 'T0REVOKE1')).toBeUndefined();
  });

  it('does nothing when the app was installed again before the purge', async () => {
    const purged: string[] = [];
    const { installations, revocations, store } = await replica(purged);
    await installations.storeInstallation(installation('T0REVOKE2'));
    await revocations.revoke({ teamId: 'T0REVOKE2', isEnterpriseInstall: false });
    await installations.storeInstallation(installation('T0REVOKE2'));
    const report = await revocations.ticker.tick(new Date(REVOKED_AT.getTime() + 31 * DAY_MS));
    expect(report.reports).toEqual(['reinstalled']);
    expect(purged).toEqual([]);
    expect(await store.due.get(REVOKED_PURGE_QUEUE, 'T0REVOKE2')).toBeUndefined();
    const fetched = await installations.fetchInstallation({
      teamId: 'T0REVOKE2',
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    expect(fetched.bot?.token).toBe('xoxb-T0REVOKE2-revocation');
  });

  it('says there was nothing to revoke for a workspace that never installed', async () => {
    const { revocations, store } = await replica([]);
    expect(await revocations.revoke({ teamId: 'T0NEVER01', isEnterpriseInstall: false })).toBe(false);
    expect(await store.due.size(REVOKED_PURGE_QUEUE)).toBe(0);
  });
});

import type { Installation } from '@slack/bolt';
import {
  INSTALLATION_RECORD,
  InstallationNotFoundError,
  installationRef,
  KeyvInstallationStore,
} from '../../src/slack/installation-store';
import type { WorkspaceRef } from '../../src/store';
import { describeEachBackend, useBackend } from '../store/support';

const BOT_TOKEN = 'xoxb-installation-store-test-not-real';
const REFRESH_TOKEN = 'xoxe-1-installation-store-refresh';

function install(where: { teamId?: string; enterpriseId?: string; org?: boolean }, token = BOT_TOKEN) {
  return {
    team: where.teamId ? { id: where.teamId } : undefined,
    enterprise: where.enterpriseId ? { id: where.enterpriseId } : undefined,
    user: { id: 'U0INSTALL1', token: undefined, scopes: undefined },
    bot: {
      token,
      refreshToken: REFRESH_TOKEN,
      expiresAt: 2_000_000_000,
      scopes: ['commands'],
      id: 'B1',
      userId: 'U0BOT',
    },
    appId: 'A0VIAMBILL',
    tokenType: 'bot',
    isEnterpriseInstall: where.org === true,
    authVersion: 'v2',
  } as Installation<'v2', boolean>;
}

describeEachBackend('KeyvInstallationStore', (backend) => {
  const context = useBackend(backend);
  let clock = new Date('2026-05-01T09:00:00Z');
  beforeEach(() => {
    clock = new Date('2026-05-01T09:00:00Z');
  });

  async function open(changes: WorkspaceRef[] = []) {
    const store = await context.open({ now: () => clock });
    return {
      store,
      installations: new KeyvInstallationStore({
        store,
        logger: context.log.logger,
        now: () => clock,
        onChange: (ref) => changes.push(ref),
      }),
    };
  }

  it('keys a workspace install by team (qualified on Grid) and an org-wide one by enterprise, all sealed', async () => {
    const changes: WorkspaceRef[] = [];
    const { installations } = await open(changes);
    await installations.storeInstallation(install({ teamId: 'T1' }));
    await installations.storeInstallation(install({ teamId: 'T2', enterpriseId: 'E1' }));
    await installations.storeInstallation(install({ enterpriseId: 'E2', org: true }));
    expect(changes).toEqual([{ teamId: 'T1' }, { teamId: 'T2', enterpriseId: 'E1' }, { teamId: 'E2' }]);

    const raw = await context.raw();
    const entries = await raw.entries();
    // Besides the installations the store keeps only its own bookkeeping (`meta:`: key check, index marker).
    const keys = entries.map((entry) => entry.key.slice(context.namespace.length + 1));
    expect(keys.filter((key) => !key.startsWith('meta:')).sort()).toEqual([
      'ws:E1.T2:installation:slack',
      'ws:E2:installation:slack',
      'ws:T1:installation:slack',
    ]);
    for (const entry of entries) {
      expect(entry.value).not.toContain(BOT_TOKEN);
      expect(entry.value).not.toContain(REFRESH_TOKEN);
    }

    const query = { teamId: 'T9', enterpriseId: 'E2', isEnterpriseInstall: true };
    expect((await installations.fetchInstallation(query)).bot?.token).toBe(BOT_TOKEN);
    expect(
      (await installations.fetchInstallation({ teamId: 'T2', enterpriseId: 'E1', isEnterpriseInstall: false })).team,
    ).toEqual({ id: 'T2' });
    expect(await installations.queryFor({ teamId: 'T9', enterpriseId: 'E2' })).toMatchObject({
      isEnterpriseInstall: true,
    });
    expect(await installations.queryFor({ teamId: 'T2', enterpriseId: 'E1' })).toMatchObject({
      isEnterpriseInstall: false,
    });
    expect(await installations.queryFor({ teamId: 'T3' })).toBeUndefined();
  });

  it('keeps the first install time when a token is rotated, and says nothing of tokens in its log', async () => {
    const { installations, store } = await open();
    await installations.storeInstallation(install({ teamId: 'T1' }));
    clock = new Date('2026-05-02T09:00:00Z');
    await installations.storeInstallation(install({ teamId: 'T1' }, 'xoxb-rotated-not-real'));
    const record = await store.records(INSTALLATION_RECORD).get({ teamId: 'T1' }, 'slack');
    expect(record).toMatchObject({ installedAt: '2026-05-01T09:00:00.000Z', updatedAt: '2026-05-02T09:00:00.000Z' });
    const query = { teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false };
    expect((await installations.fetchInstallation(query)).bot?.token).toBe('xoxb-rotated-not-real');
    expect(context.log.entries().filter((entry) => entry.msg === 'slack installation updated')).toHaveLength(1);
    expect(context.log.text()).not.toContain('xoxb-');
  });

  it('does not open an installation copied under another workspace', async () => {
    const { installations } = await open();
    await installations.storeInstallation(install({ teamId: 'T1' }));
    const raw = await context.raw();
    const [entry] = await raw.entries();
    await raw.put(`${context.namespace}:ws:T2:installation:slack`, entry?.value as string);
    const query = { teamId: 'T2', enterpriseId: undefined, isEnterpriseInstall: false };
    await expect(installations.fetchInstallation(query)).rejects.toMatchObject({ name: 'StoreError', kind: 'corrupt' });
  });

  it('reports a missing install as not installed, and goes with its workspace', async () => {
    const { installations, store } = await open();
    const query = { teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false };
    await expect(installations.fetchInstallation(query)).rejects.toBeInstanceOf(InstallationNotFoundError);
    await installations.storeInstallation(install({ teamId: 'T1' }));
    await store.workspaces.deleteWorkspace({ teamId: 'T1' });
    await expect(installations.fetchInstallation(query)).rejects.toBeInstanceOf(InstallationNotFoundError);
    expect(await installations.delete({ teamId: 'T1' })).toBe(false);
  });
});

describe('installationRef', () => {
  it('needs an enterprise for an org-wide install and a team otherwise', () => {
    expect(installationRef({ teamId: 'T1', enterpriseId: 'E1', isEnterpriseInstall: true })).toEqual({ teamId: 'E1' });
    expect(() => installationRef({ teamId: 'T1', isEnterpriseInstall: true })).toThrow(InstallationNotFoundError);
    expect(() => installationRef({ enterpriseId: 'E1', isEnterpriseInstall: false })).toThrow(
      InstallationNotFoundError,
    );
  });
});

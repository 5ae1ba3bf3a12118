/**
 * Key rotation (src/store/rotate-key.ts) on each backend: with ENCRYPTION_KEY_PREVIOUS a process opens
 * what the old key sealed; a rotation in a process of its own seals every API key, installation and the
 * key check again with the new key while this process keeps writing as a replica, and loses none of its
 * writes; a stopped rotation resumes where it stopped; afterwards the new key alone opens the store and
 * the old key alone is refused.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { silentLogger } from '../../src/logger';
import { KeyvInstallationStore } from '../../src/slack/installation-store';
import type { Store } from '../../src/store';
import { type RotationReport, rotateEncryptionKey } from '../../src/store/rotate-key';
import { EncryptionKey } from '../../src/store/seal';
import { workspaceInstallation } from '../support/installations';
import { describeEachBackend, newEncryptionKey, storeErrorOf, storeUrlOf, useBackend } from './support';

const WORKSPACES = 40;
const ROTATE_PROCESS = path.join(__dirname, 'support', 'rotate-key-process.ts');

const teamOf = (index: number) => ({ teamId: `T0ROT${String(index).padStart(4, '0')}` });
const secretOf = (index: number, label = 'prod') => `viam-secret-${label}-${index}-7f3e21`;
const keyIdOf = (base64: string) => new EncryptionKey(Buffer.from(base64, 'base64')).id;

function org(index: number, label = 'prod') {
  return {
    label,
    orgId: `a1b2c3d4-0000-4000-8000-${String(index).padStart(12, '0')}`,
    apiKey: { id: `key-${label}-${index}`, key: secretOf(index, label) },
    connectedBy: 'U0ADMIN1',
  };
}

const installation = (teamId: string) => workspaceInstallation(teamId, `xoxb-${teamId}-rotation`);

describeEachBackend('encryption key rotation', (backend) => {
  const ctx = useBackend(backend);
  let oldKey: string;
  let newKey: string;

  beforeEach(async () => {
    oldKey = newEncryptionKey();
    newKey = newEncryptionKey();
    const store = await ctx.open({ encryptionKey: oldKey });
    const installations = new KeyvInstallationStore({ store, logger: silentLogger() });
    for (let i = 0; i < WORKSPACES; i++) {
      await store.workspaces.connectOrg(teamOf(i), org(i));
      if (i % 4 === 0) await installations.storeInstallation(installation(teamOf(i).teamId));
    }
  });

  /** The key IDs every sealed value in the namespace names (`v1.<keyId>.…`). */
  async function sealingKeyIds(): Promise<Set<string>> {
    const raw = await ctx.raw();
    const ids = new Set<string>();
    for (const { value } of await raw.entries()) {
      for (const match of value.matchAll(/"v1\.([0-9a-f]{8})\./g)) ids.add(match[1] as string);
    }
    return ids;
  }

  async function expectReadable(store: Store, labels: Array<{ index: number; label: string }>): Promise<void> {
    for (const { index, label } of labels) {
      expect((await store.workspaces.revealApiKey(teamOf(index), label)).key).toBe(secretOf(index, label));
    }
  }

  function rotateInAnotherProcess(): Promise<RotationReport> {
    return promisify(execFile)(process.execPath, ['--require', 'tsx/cjs', ROTATE_PROCESS], {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        STORE_URL: storeUrlOf(backend) ?? '',
        DATA_DIR: ctx.dir,
        TEST_NAMESPACE: ctx.namespace,
        ENCRYPTION_KEY: newKey,
        ENCRYPTION_KEY_PREVIOUS: `${newEncryptionKey()}, ${oldKey}`,
      },
    }).then(({ stdout }) => JSON.parse(stdout.trim()) as RotationReport);
  }

  it('refuses the new key alone before the rotation, and opens the old values with ENCRYPTION_KEY_PREVIOUS', async () => {
    expect(await storeErrorOf(ctx.open({ encryptionKey: newKey }))).toMatchObject({ kind: 'key_mismatch' });
    const store = await ctx.open({ encryptionKey: newKey, previousKeys: oldKey });
    await expectReadable(store, [{ index: 0, label: 'prod' }]);
    expect(await sealingKeyIds()).toEqual(new Set([keyIdOf(oldKey)]));
  });

  it('re-seals everything in another process while this replica keeps writing, and loses nothing', async () => {
    const replica = await ctx.open({ encryptionKey: newKey, previousKeys: oldKey });
    let rotating = true;
    const rotation = rotateInAnotherProcess().finally(() => {
      rotating = false;
    });
    // The replica connects a second org in every workspace, then keeps changing every workspace's access
    // list until the rotation has finished, so its compare-and-sets meet the rotation's on the same records.
    const added: Array<{ index: number; label: string }> = [];
    for (let i = WORKSPACES - 1; i >= 0; i--) {
      await replica.workspaces.connectOrg(teamOf(i), org(i, 'staging'));
      added.push({ index: i, label: 'staging' });
    }
    let rounds = 0;
    while (rotating && rounds < 200) {
      for (let i = 0; i < WORKSPACES; i++) await replica.workspaces.grantViewer(teamOf(i), `U0ROUND${rounds}`);
      rounds += 1;
    }
    const report = await rotation;
    // Whatever the rotation met sealed with the old key, it sealed again; the replica sealed its own with the new one.
    expect(report).toMatchObject({ keyId: keyIdOf(newKey), workspaces: WORKSPACES, unreadable: 0, keyCheck: true });
    expect(report.apiKeys).toBeGreaterThanOrEqual(WORKSPACES);
    expect(report.installations).toBe(WORKSPACES / 4);

    expect(rounds).toBeGreaterThan(0);
    const afterwards = await ctx.open({ encryptionKey: newKey });
    for (let i = 0; i < WORKSPACES; i++) {
      expect((await afterwards.workspaces.get(teamOf(i))).viewers).toHaveLength(rounds);
    }
    await expectReadable(afterwards, [
      ...Array.from({ length: WORKSPACES }, (_, index) => ({ index, label: 'prod' })),
      ...added,
    ]);
    const installs = new KeyvInstallationStore({ store: afterwards, logger: silentLogger() });
    const fetched = await installs.fetchInstallation({
      teamId: teamOf(8).teamId,
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    expect(fetched.bot?.token).toBe(`xoxb-${teamOf(8).teamId}-rotation`);
    expect(await sealingKeyIds()).toEqual(new Set([keyIdOf(newKey)]));
    expect(await storeErrorOf(ctx.open({ encryptionKey: oldKey }))).toMatchObject({ kind: 'key_mismatch' });
  }, 90_000);

  it('resumes a rotation that was stopped half-way, re-sealing only what is left', async () => {
    const store = await ctx.open({ encryptionKey: newKey, previousKeys: oldKey });
    const stopAfter = 15;
    const stopped = rotateEncryptionKey(store, {
      logger: silentLogger(),
      onProgress: (progress) => {
        if (progress.workspaces === stopAfter) throw new Error('stopped by the operator');
      },
    });
    await expect(stopped).rejects.toThrow('stopped by the operator');
    expect(await sealingKeyIds()).toEqual(new Set([keyIdOf(oldKey), keyIdOf(newKey)]));

    const installations = new KeyvInstallationStore({ store, logger: silentLogger() });
    const resumed = await rotateEncryptionKey(store, { others: [installations], logger: silentLogger() });
    expect(resumed).toMatchObject({ workspaces: WORKSPACES, apiKeys: WORKSPACES - stopAfter, keyCheck: true });
    const again = await rotateEncryptionKey(store, { others: [installations], logger: silentLogger() });
    expect(again).toMatchObject({ apiKeys: 0, installations: 0, keyCheck: false });
    await expectReadable(await ctx.open({ encryptionKey: newKey }), [{ index: 0, label: 'prod' }]);
  });
});

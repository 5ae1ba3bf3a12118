import { z } from 'zod';
import { StoreError } from '../../src/store';
import { defaultOrg, findOrg } from '../../src/store/workspaces';
import { describeEachBackend, newEncryptionKey, storeErrorOf, useBackend } from './support';

const TEAM = { teamId: 'T0ACME01' };
const OTHER_TEAM = { teamId: 'T0OTHER2' };
const GRID_TEAM = { enterpriseId: 'E0GRID01', teamId: 'T0ACME01' };
const SECRET = 'viam-secret-key-7f3a9c1d2e4b';
const PROD = {
  label: 'Prod',
  orgId: 'a1b2c3d4-0000-4000-8000-000000000001',
  apiKey: { id: 'key-prod-1', key: SECRET },
  connectedBy: 'U0ADMIN1',
};
const LAB = {
  label: 'lab',
  orgId: 'a1b2c3d4-0000-4000-8000-000000000002',
  apiKey: { id: 'key-lab-1', key: 'lab-secret-55e1' },
  connectedBy: 'U0ADMIN1',
};

describeEachBackend('workspaces', (backend) => {
  const ctx = useBackend(backend);

  it('starts empty and connects, replaces, defaults and disconnects orgs', async () => {
    const store = await ctx.open();
    const empty = await store.workspaces.get(TEAM);
    expect(empty).toEqual({
      ref: TEAM,
      orgs: [],
      viewers: [],
      preferences: { currency: 'USD' },
      updatedAt: new Date(0).toISOString(),
    });

    let workspace = await store.workspaces.connectOrg(TEAM, PROD);
    expect(workspace.orgs.map((org) => org.label)).toEqual(['Prod']);
    expect(workspace.defaultOrgLabel).toBe('Prod');
    expect(JSON.stringify(workspace)).not.toContain(SECRET);

    workspace = await store.workspaces.connectOrg(TEAM, LAB);
    expect(workspace.orgs.map((org) => org.label)).toEqual(['Prod', 'lab']);
    expect(workspace.defaultOrgLabel).toBe('Prod');

    // Same label in another case replaces the org instead of adding one.
    workspace = await store.workspaces.connectOrg(TEAM, {
      ...LAB,
      label: 'LAB',
      orgId: 'b0000000-0000-4000-8000-000000000009',
    });
    expect(workspace.orgs).toHaveLength(2);
    expect(findOrg(workspace, 'lab')?.orgId).toBe('b0000000-0000-4000-8000-000000000009');

    workspace = await store.workspaces.setDefaultOrg(TEAM, 'lab');
    expect(workspace.defaultOrgLabel).toBe('LAB');
    expect(defaultOrg(workspace)?.label).toBe('LAB');

    workspace = await store.workspaces.disconnectOrg(TEAM, 'Lab');
    expect(workspace.orgs.map((org) => org.label)).toEqual(['Prod']);
    expect(workspace.defaultOrgLabel).toBe('Prod');

    const missing = await storeErrorOf(store.workspaces.disconnectOrg(TEAM, 'nope'));
    expect(missing.kind).toBe('not_found');
    expect(missing.message).toContain('"nope"');

    workspace = await store.workspaces.disconnectOrg(TEAM, 'prod');
    expect(workspace.orgs).toEqual([]);
    expect(workspace.defaultOrgLabel).toBeUndefined();
  });

  it('rejects malformed input without echoing the key', async () => {
    const store = await ctx.open();
    const badLabel = await storeErrorOf(store.workspaces.connectOrg(TEAM, { ...PROD, label: '<!channel>' }));
    expect(badLabel.kind).toBe('invalid');
    const badKey = await storeErrorOf(
      store.workspaces.connectOrg(TEAM, { ...PROD, apiKey: { id: 'key-1', key: 'has a space secret-xyz' } }),
    );
    expect(badKey.kind).toBe('invalid');
    expect(badKey.message).not.toContain('secret-xyz');
    expect((await storeErrorOf(store.workspaces.connectOrg(TEAM, { ...PROD, connectedBy: 'jane' }))).kind).toBe(
      'invalid',
    );
    expect((await storeErrorOf(store.workspaces.get({ teamId: 'T1:x' }))).kind).toBe('invalid');
    const unknown = await storeErrorOf(store.workspaces.disconnectOrg(TEAM, '<!here>'));
    expect(unknown.kind).toBe('not_found');
    expect(unknown.message).not.toContain('<!here>');
  });

  it('keeps viewers and preferences, and loses no update under concurrent writes', async () => {
    const store = await ctx.open();
    const users = Array.from({ length: 12 }, (_, index) => `U0VIEW${String(index).padStart(3, '0')}`);
    await Promise.all(users.map((user) => store.workspaces.grantViewer(TEAM, user)));
    let workspace = await store.workspaces.get(TEAM);
    expect([...workspace.viewers].sort()).toEqual(users);

    await store.workspaces.grantViewer(TEAM, 'U0VIEW000');
    workspace = await store.workspaces.revokeViewer(TEAM, 'U0VIEW001');
    expect(workspace.viewers).toHaveLength(11);
    expect(workspace.viewers).not.toContain('U0VIEW001');

    workspace = await store.workspaces.setPreferences(TEAM, { timeZone: 'europe/berlin', locale: 'en-gb' });
    expect(workspace.preferences).toEqual({ timeZone: 'Europe/Berlin', locale: 'en-GB', currency: 'USD' });
    workspace = await store.workspaces.setPreferences(TEAM, { locale: null });
    expect(workspace.preferences).toEqual({ timeZone: 'Europe/Berlin', currency: 'USD' });
    expect((await storeErrorOf(store.workspaces.setPreferences(TEAM, { timeZone: 'Mars/Olympus' }))).kind).toBe(
      'invalid',
    );
  });

  it('keeps data across a restart', async () => {
    const first = await ctx.open({ now: () => new Date('2026-05-01T09:00:00Z') });
    await first.workspaces.connectOrg(TEAM, PROD);
    await first.workspaces.grantViewer(TEAM, 'U0VIEWER1');
    await first.close();

    const second = await ctx.open();
    const workspace = await second.workspaces.get(TEAM);
    expect(workspace.orgs).toEqual([
      {
        label: 'Prod',
        orgId: PROD.orgId,
        apiKeyId: 'key-prod-1',
        connectedBy: 'U0ADMIN1',
        connectedAt: '2026-05-01T09:00:00.000Z',
      },
    ]);
    expect(workspace.viewers).toEqual(['U0VIEWER1']);
    expect(workspace.updatedAt).toBe('2026-05-01T09:00:00.000Z');
    await expect(second.workspaces.revealApiKey(TEAM, 'prod')).resolves.toEqual({ id: 'key-prod-1', key: SECRET });
  });

  it('stores the API key sealed: only revealApiKey gives it back', async () => {
    const store = await ctx.open();
    await store.workspaces.connectOrg(TEAM, PROD);
    const raw = await ctx.raw();
    const entries = await raw.entries();
    expect(entries.length).toBeGreaterThan(0);
    const everything = JSON.stringify(entries);
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(Buffer.from(SECRET).toString('base64'));
    expect(everything).not.toContain(Buffer.from(SECRET).toString('base64url'));
    expect(everything).toContain('key-prod-1');

    expect(await store.workspaces.revealApiKey(TEAM, 'PROD')).toEqual({ id: 'key-prod-1', key: SECRET });
    expect((await storeErrorOf(store.workspaces.revealApiKey(TEAM, 'lab'))).kind).toBe('not_found');

    // One read gives the workspace (without the sealed key) and its keys on request.
    const opened = await store.workspaces.getWithKeys(TEAM);
    expect(opened.workspace).toEqual(await store.workspaces.get(TEAM));
    expect(JSON.stringify(opened.workspace)).not.toContain(SECRET);
    expect(opened.revealApiKey('prod')).toEqual({ id: 'key-prod-1', key: SECRET });
    expect(() => opened.revealApiKey('lab')).toThrow(
      expect.objectContaining({ name: 'StoreError', kind: 'not_found' }),
    );
  });

  /**
   * Puts into this test's store the workspace record of a store sealed with another key, as replicas
   * with different keys left it before the store's key check existed (the check itself stays ours).
   */
  async function sealedWithAnotherKey(): Promise<void> {
    const namespace = `${ctx.namespace}-theirs`;
    const theirs = await backend.open({
      dir: ctx.dir,
      namespace,
      logger: ctx.log.logger,
      encryptionKey: newEncryptionKey(),
    });
    const theirRaw = await backend.raw(ctx.dir, namespace);
    try {
      await theirs.workspaces.connectOrg(TEAM, PROD);
      const record = (await theirRaw.entries()).find((entry) => entry.key === `${namespace}:ws:T0ACME01:workspace`);
      expect(record).toBeDefined();
      await (await ctx.raw()).put(`${ctx.namespace}:ws:T0ACME01:workspace`, record?.value as string);
    } finally {
      await theirs.close();
      await theirRaw.clear();
      await theirRaw.close();
    }
  }

  it('says ENCRYPTION_KEY does not match when a saved key was sealed with another one', async () => {
    const store = await ctx.open();
    await sealedWithAnotherKey();
    expect((await store.workspaces.get(TEAM)).orgs).toHaveLength(1);
    const error = await storeErrorOf(store.workspaces.revealApiKey(TEAM, 'Prod'));
    expect(error.kind).toBe('key_mismatch');
    expect(error.message).toContain('ENCRYPTION_KEY does not match');
  });

  it('refuses to open with another key than the one the store was sealed with', async () => {
    const first = await ctx.open();
    await first.workspaces.connectOrg(TEAM, PROD);
    const error = await storeErrorOf(ctx.open({ encryptionKey: newEncryptionKey() }));
    expect(error.kind).toBe('key_mismatch');
    expect(error.message).toContain('ENCRYPTION_KEY');
    expect(await first.workspaces.revealApiKey(TEAM, 'Prod')).toEqual({ id: 'key-prod-1', key: SECRET });
  });

  it('will not open a sealed key copied into another workspace', async () => {
    const store = await ctx.open();
    await store.workspaces.connectOrg(TEAM, PROD);
    const raw = await ctx.raw();
    const original = (await raw.entries()).find((entry) => entry.key === `${ctx.namespace}:ws:T0ACME01:workspace`);
    expect(original).toBeDefined();
    const moved = JSON.parse(original?.value as string);
    moved.value.data.ref = OTHER_TEAM;
    await raw.put(`${ctx.namespace}:ws:T0OTHER2:workspace`, JSON.stringify(moved));

    expect((await store.workspaces.get(OTHER_TEAM)).orgs).toHaveLength(1);
    const error = await storeErrorOf(store.workspaces.revealApiKey(OTHER_TEAM, 'Prod'));
    expect(error.kind).toBe('corrupt');
    expect(error.message).toContain('could not be decrypted');
  });

  it('reports a corrupt record, leaves it and other workspaces alone, and reset keeps a backup', async () => {
    const store = await ctx.open({ now: () => new Date('2026-05-02T10:11:12.345Z') });
    await store.workspaces.connectOrg(OTHER_TEAM, PROD);
    const raw = await ctx.raw();
    const badKey = `${ctx.namespace}:ws:T0ACME01:workspace`;
    const garbage = '{"value": {"v": 1, "data": GARBAGE-7781';
    await raw.put(badKey, garbage);

    const error = await storeErrorOf(store.workspaces.get(TEAM));
    expect(error).toBeInstanceOf(StoreError);
    expect(error.kind).toBe('corrupt');
    expect(error.message).toBe(
      "This workspace's saved Viam settings could not be read. An admin can run `/viam-usage reset` to start over; nothing else was changed.",
    );
    // A write must not paper over the damage.
    expect((await storeErrorOf(store.workspaces.connectOrg(TEAM, LAB))).kind).toBe('corrupt');
    expect((await raw.entries()).find((entry) => entry.key === badKey)?.value).toBe(garbage);
    // Other workspaces carry on.
    expect((await store.workspaces.get(OTHER_TEAM)).orgs).toHaveLength(1);
    await expect(store.workspaces.revealApiKey(OTHER_TEAM, 'Prod')).resolves.toEqual(PROD.apiKey);

    const logged = ctx.log.entries().find((entry) => entry.msg === 'stored record is unreadable');
    expect(logged).toMatchObject({ storeKey: 'ws:T0ACME01:workspace', reason: 'the stored text is not JSON' });
    expect(ctx.log.text()).not.toContain('GARBAGE-7781');

    const { backupKey } = await store.workspaces.resetWorkspace(TEAM);
    expect(backupKey).toBe('ws:T0ACME01:corrupt:20260502T101112345Z:workspace');
    const after = await raw.entries();
    expect(after.find((entry) => entry.key === `${ctx.namespace}:${backupKey}`)?.value).toBe(garbage);
    expect(after.find((entry) => entry.key === badKey)).toBeUndefined();
    expect((await store.workspaces.get(TEAM)).orgs).toEqual([]);
    expect((await store.workspaces.connectOrg(TEAM, LAB)).orgs).toHaveLength(1);
  });

  it('treats wrong shapes, another workspace and newer versions as corrupt', async () => {
    const store = await ctx.open();
    const raw = await ctx.raw();
    const key = `${ctx.namespace}:ws:T0ACME01:workspace`;
    const cases = [
      JSON.stringify({ value: { v: 1, data: { orgs: 'nope' } } }),
      JSON.stringify({ value: 42 }),
      JSON.stringify({ not: 'a keyv entry' }),
      JSON.stringify({
        value: {
          v: 99,
          data: {
            ref: TEAM,
            orgs: [],
            viewers: [],
            preferences: { currency: 'USD' },
            updatedAt: '2026-01-01T00:00:00Z',
          },
        },
      }),
      JSON.stringify({
        value: {
          v: 1,
          data: {
            ref: OTHER_TEAM,
            orgs: [],
            viewers: [],
            preferences: { currency: 'USD' },
            updatedAt: '2026-01-01T00:00:00Z',
          },
        },
      }),
    ];
    for (const value of cases) {
      await raw.put(key, value);
      expect((await storeErrorOf(store.workspaces.get(TEAM))).kind).toBe('corrupt');
    }
  });

  it('resetting a readable workspace simply starts over', async () => {
    const store = await ctx.open();
    await store.workspaces.connectOrg(TEAM, PROD);
    expect(await store.workspaces.resetWorkspace(TEAM)).toEqual({});
    expect((await store.workspaces.get(TEAM)).orgs).toEqual([]);
    expect(await store.workspaces.resetWorkspace(TEAM)).toEqual({});
  });

  it('deleteWorkspace removes every key of the team, and only of that team', async () => {
    const store = await ctx.open();
    await store.workspaces.connectOrg(TEAM, PROD);
    await store.workspaces.connectOrg(OTHER_TEAM, LAB);
    await store.workspaces.connectOrg(GRID_TEAM, LAB);
    const schedules = store.records({
      kind: 'schedule',
      version: 1,
      schema: z.object({ cron: z.string() }),
    });
    await schedules.set(TEAM, 'weekly', { cron: '0 9 * * MON' });
    await schedules.set(OTHER_TEAM, 'weekly', { cron: '0 9 * * MON' });
    expect(await store.claims.claim(schedules.key(TEAM, 'weekly'), 'replica-a', 60_000)).toBe(true);
    const raw = await ctx.raw();
    await raw.put(`${ctx.namespace}:ws:T0ACME01:corrupt:20260101T000000000Z:workspace`, 'garbage');

    const refs = [];
    for await (const ref of store.workspaces.listWorkspaces()) refs.push(ref);
    expect(refs).toEqual([GRID_TEAM, { teamId: 'T0ACME01' }, OTHER_TEAM]);

    const { deletedKeys } = await store.workspaces.deleteWorkspace(TEAM);
    expect(deletedKeys).toBe(4);

    const left = await raw.entries();
    const mentionsTeam = left.filter(
      (entry) => (entry.key.includes('T0ACME01') && !entry.key.includes('E0GRID01')) || entry.value.includes(SECRET),
    );
    expect(mentionsTeam).toEqual([]);
    expect(left.some((entry) => entry.key === `${ctx.namespace}:ws:T0OTHER2:workspace`)).toBe(true);
    expect(left.some((entry) => entry.key === `${ctx.namespace}:ws:T0OTHER2:schedule:weekly`)).toBe(true);
    expect(left.some((entry) => entry.key === `${ctx.namespace}:ws:E0GRID01.T0ACME01:workspace`)).toBe(true);

    expect((await store.workspaces.get(TEAM)).orgs).toEqual([]);
    expect((await store.workspaces.get(GRID_TEAM)).orgs).toHaveLength(1);
    const after = [];
    for await (const ref of store.workspaces.listWorkspaces()) after.push(ref);
    expect(after).toEqual([GRID_TEAM, OTHER_TEAM]);
    expect(await store.workspaces.deleteWorkspace(TEAM)).toEqual({ deletedKeys: 0 });
  });

  it('never writes a secret to the log', async () => {
    const store = await ctx.open();
    await store.workspaces.connectOrg(TEAM, PROD);
    await store.workspaces.revealApiKey(TEAM, 'Prod');
    await storeErrorOf(
      store.workspaces.connectOrg(TEAM, { ...PROD, apiKey: { id: 'key-prod-1', key: `bad ${SECRET}` } }),
    );
    await storeErrorOf(ctx.open({ encryptionKey: newEncryptionKey() }));
    await sealedWithAnotherKey();
    await storeErrorOf(store.workspaces.revealApiKey(TEAM, 'Prod'));

    const log = ctx.log.text();
    expect(log).toContain('could not unseal a saved API key');
    expect(log).not.toContain(SECRET);
    expect(log).not.toContain(ctx.encryptionKey);
  });
});

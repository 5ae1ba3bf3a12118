/**
 * One key per store (src/store/key-check.ts): a store is sealed with the key it was first opened with,
 * a process with another key (or, on Redis and PostgreSQL, with none) is refused at open before it can
 * seal anything, and the processes already using the store keep working.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { openStore } from '../../src/store';
import { KEY_CHECK_KEY, SHARED_KEY_REQUIRED, STORE_KEY_MISMATCH } from '../../src/store/key-check';
import { openKv } from '../../src/store/keyv';
import { KEY_FILE_NAME } from '../../src/store/seal';
import { parseStoreUrl } from '../../src/store/store-url';
import { describeEachBackend, newEncryptionKey, storeErrorOf, storeUrlOf, useBackend } from './support';

const TEAM = { teamId: 'T0KEYCHK1' };
const SECRET = 'viam-secret-key-check-91c4e2';
const PROD = {
  label: 'Prod',
  orgId: 'a1b2c3d4-0000-4000-8000-00000000c0de',
  apiKey: { id: 'key-prod-1', key: SECRET },
  connectedBy: 'U0ADMIN1',
};

/** Every spelling of a key that could leak: base64 as given, base64url and hex of its bytes. */
function spellings(key: string): string[] {
  const bytes = Buffer.from(key, 'base64');
  return [key, bytes.toString('base64url'), bytes.toString('hex')];
}

describeEachBackend('store key check', (backend) => {
  const ctx = useBackend(backend);
  const checkKey = () => `${ctx.namespace}:${KEY_CHECK_KEY}`;

  /** Removes the check value through the store's own key-value layer, as a store from before the check had none. */
  async function dropKeyCheck(): Promise<void> {
    const kv = await openKv({
      spec: parseStoreUrl(storeUrlOf(backend), ctx.dir),
      namespace: ctx.namespace,
      logger: ctx.log.logger,
    });
    try {
      expect(await kv.write(KEY_CHECK_KEY, null)).toBe('written');
      expect(await kv.readRaw(KEY_CHECK_KEY)).toBeUndefined();
    } finally {
      await kv.close();
    }
  }

  it('writes one check value on first open, sealed, and opens again with the same key', async () => {
    const first = await ctx.open();
    const raw = await ctx.raw();
    const check = (await raw.entries()).find((entry) => entry.key === checkKey());
    expect(check).toBeDefined();
    for (const spelling of spellings(ctx.encryptionKey)) expect(check?.value).not.toContain(spelling);
    await first.close();

    const again = await ctx.open();
    expect((await raw.entries()).find((entry) => entry.key === checkKey())?.value).toBe(check?.value);
    await expect(again.ping()).resolves.toBeUndefined();
  });

  it('refuses a second store with another key, changing nothing, while the first keeps working', async () => {
    const first = await ctx.open();
    await first.workspaces.connectOrg(TEAM, PROD);
    const raw = await ctx.raw();
    const before = (await raw.entries()).sort((a, b) => a.key.localeCompare(b.key));

    const error = await storeErrorOf(ctx.open({ encryptionKey: newEncryptionKey() }));
    expect(error.kind).toBe('key_mismatch');
    expect(error.message).toBe(STORE_KEY_MISMATCH);
    expect(error.message).toContain('ENCRYPTION_KEY');
    expect(error.message).toContain('every replica must use the same one');

    expect((await raw.entries()).sort((a, b) => a.key.localeCompare(b.key))).toEqual(before);
    expect(await first.workspaces.revealApiKey(TEAM, 'Prod')).toEqual({ id: 'key-prod-1', key: SECRET });
    await first.workspaces.grantViewer(TEAM, 'U0VIEW001');
    expect((await first.workspaces.get(TEAM)).viewers).toEqual(['U0VIEW001']);
    const third = await ctx.open();
    expect(await third.workspaces.revealApiKey(TEAM, 'Prod')).toEqual({ id: 'key-prod-1', key: SECRET });
  });

  it('lets exactly one of two stores opening a new store at once with different keys in', async () => {
    const keys = [newEncryptionKey(), newEncryptionKey()];
    const opened = await Promise.allSettled(keys.map((encryptionKey) => ctx.open({ encryptionKey })));
    expect(opened.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const loser = opened.find((result) => result.status === 'rejected');
    expect(loser?.reason).toMatchObject({ kind: 'key_mismatch', message: STORE_KEY_MISMATCH });
    // Whichever key won is the store's key from now on.
    const winningKey = keys[opened.findIndex((result) => result.status === 'fulfilled')] as string;
    await expect(ctx.open({ encryptionKey: winningKey })).resolves.toBeDefined();
  });

  it('checks a store from before the check against a sealed Viam API key instead of adopting a wrong key', async () => {
    const first = await ctx.open();
    await first.workspaces.connectOrg(TEAM, PROD);
    await first.close();
    await dropKeyCheck();

    const error = await storeErrorOf(ctx.open({ encryptionKey: newEncryptionKey() }));
    expect(error).toMatchObject({ kind: 'key_mismatch', message: STORE_KEY_MISMATCH });
    const raw = await ctx.raw();
    expect((await raw.entries()).some((entry) => entry.key === checkKey())).toBe(false);

    // The right key is proven by the sealed org key, and the check is written from then on.
    const right = await ctx.open();
    expect(await right.workspaces.revealApiKey(TEAM, 'Prod')).toEqual({ id: 'key-prod-1', key: SECRET });
    expect((await raw.entries()).some((entry) => entry.key === checkKey())).toBe(true);
    expect(ctx.log.text()).toContain('ENCRYPTION_KEY opens the saved Viam API keys');
  });

  it('refuses to start on a damaged check value, saying which entry', async () => {
    await (await ctx.open()).close();
    const raw = await ctx.raw();
    await raw.put(checkKey(), JSON.stringify({ value: { v: 1, sealed: 'v1.not-sealed', createdAt: 'x' } }));
    const error = await storeErrorOf(ctx.open());
    expect(error.kind).toBe('corrupt');
    expect(error.message).toContain(checkKey());
  });

  if (backend.name === 'sqlite') {
    it('keeps the generated key file without ENCRYPTION_KEY, and refuses a regenerated one', async () => {
      const first = await ctx.open({ encryptionKey: undefined });
      await first.workspaces.connectOrg(TEAM, PROD);
      await first.close();
      const again = await ctx.open({ encryptionKey: undefined });
      expect(await again.workspaces.revealApiKey(TEAM, 'Prod')).toEqual({ id: 'key-prod-1', key: SECRET });
      await again.close();

      // A lost key file means a new key: the store says so at open instead of on every command.
      await rm(path.join(ctx.dir, KEY_FILE_NAME));
      const error = await storeErrorOf(ctx.open({ encryptionKey: undefined }));
      expect(error).toMatchObject({ kind: 'key_mismatch', message: STORE_KEY_MISMATCH });
    });
  } else {
    it('refuses to open without ENCRYPTION_KEY, before generating a key file or connecting', async () => {
      const error = await storeErrorOf(ctx.open({ encryptionKey: undefined }));
      expect(error).toMatchObject({ kind: 'invalid', message: SHARED_KEY_REQUIRED });
      expect(error.message).toContain('openssl rand -base64 32');
      expect(await readdir(ctx.dir)).toEqual([]);
      const raw = await ctx.raw();
      expect(await raw.entries()).toEqual([]);
      expect(ctx.log.text()).not.toContain('store opened');
    });
  }

  it('never puts a key in the log or in an error message', async () => {
    const other = newEncryptionKey();
    const first = await ctx.open();
    await first.workspaces.connectOrg(TEAM, PROD);
    const refused = await storeErrorOf(ctx.open({ encryptionKey: other }));
    await first.close();
    await dropKeyCheck();
    const refusedLegacy = await storeErrorOf(ctx.open({ encryptionKey: other }));

    const log = ctx.log.text();
    expect(log).toContain('refusing to start');
    for (const key of [ctx.encryptionKey, other]) {
      for (const spelling of spellings(key)) {
        expect(log).not.toContain(spelling);
        expect(refused.message).not.toContain(spelling);
        expect(refusedLegacy.message).not.toContain(spelling);
      }
    }
    expect(log).not.toContain(SECRET);
  });

  it('keeps one check value per namespace: another namespace on the same backend has its own key', async () => {
    const otherNamespace = `${ctx.namespace}-b`;
    const other = await openStore({
      url: storeUrlOf(backend),
      dataDir: ctx.dir,
      namespace: otherNamespace,
      encryptionKey: newEncryptionKey(),
      logger: ctx.log.logger,
    });
    try {
      await ctx.open();
      await expect(other.ping()).resolves.toBeUndefined();
    } finally {
      await other.close();
      const raw = await backend.raw(ctx.dir, otherNamespace);
      await raw.clear();
      await raw.close();
    }
  });
});

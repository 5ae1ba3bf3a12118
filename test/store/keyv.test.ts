import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { openStore } from '../../src/store';
import { captureLog, describeEachBackend, newEncryptionKey, storeErrorOf, tempDir, useBackend } from './support';

const TEAM = { teamId: 'T0KV0001' };

describeEachBackend('store backend', (backend) => {
  const ctx = useBackend(backend);

  it('answers ping, and after close fails as unavailable rather than empty', async () => {
    const store = await ctx.open();
    expect(store.backend).toBe(backend.name);
    await expect(store.ping()).resolves.toBeUndefined();
    await store.workspaces.grantViewer(TEAM, 'U0VIEW001');
    await store.close();
    await store.close();
    const error = await storeErrorOf(store.workspaces.get(TEAM));
    expect(error.kind).toBe('unavailable');
    expect((await storeErrorOf(store.ping())).kind).toBe('unavailable');
  });

  it("never lets Keyv's lazy expiry delete a stored record", async () => {
    const store = await ctx.open();
    await store.workspaces.grantViewer(TEAM, 'U0VIEW001');
    const raw = await ctx.raw();
    const key = `${ctx.namespace}:ws:T0KV0001:workspace`;
    const stored = JSON.parse((await raw.entries()).find((entry) => entry.key === key)?.value as string);
    await raw.put(key, JSON.stringify({ ...stored, expires: 1 }));
    expect((await store.workspaces.get(TEAM)).viewers).toEqual(['U0VIEW001']);
    expect((await raw.entries()).some((entry) => entry.key === key)).toBe(true);
  });
});

describe('opening a store', () => {
  let dir = '';
  let remove = async () => {};
  beforeEach(async () => {
    ({ dir, remove } = await tempDir());
  });
  afterEach(() => remove());

  it('creates the default SQLite file in the data folder', async () => {
    const dataDir = path.join(dir, 'fresh', 'data');
    const encryptionKey = newEncryptionKey();
    const store = await openStore({ dataDir, encryptionKey, logger: captureLog().logger });
    try {
      expect(store.backend).toBe('sqlite');
      await store.workspaces.grantViewer(TEAM, 'U0VIEW001');
    } finally {
      await store.close();
    }
    const again = await openStore({
      url: `sqlite://${path.join(dataDir, 'store.sqlite')}`,
      dataDir: dir,
      encryptionKey,
      logger: captureLog().logger,
    });
    try {
      expect((await again.workspaces.get(TEAM)).viewers).toEqual(['U0VIEW001']);
    } finally {
      await again.close();
    }
  });

  it('reports an SQLite file it cannot create', async () => {
    const blocker = path.join(dir, 'not-a-folder');
    await writeFile(blocker, 'x');
    const error = await storeErrorOf(
      openStore({ dataDir: blocker, encryptionKey: newEncryptionKey(), logger: captureLog().logger }),
    );
    expect(error.kind).toBe('unavailable');
    expect(error.message).toContain(path.join(blocker, 'store.sqlite'));
  });

  it.each([
    ['redis', 'redis://:hunter2pw@127.0.0.1:1', 'Redis'],
    ['postgres', 'postgres://app:hunter2pw@127.0.0.1:1/app', 'PostgreSQL'],
  ])('reports an unreachable %s server without its password', async (_name, url, product) => {
    const log = captureLog();
    const error = await storeErrorOf(
      openStore({ url, dataDir: dir, encryptionKey: newEncryptionKey(), logger: log.logger }),
    );
    expect(error.kind).toBe('unavailable');
    expect(error.message).toContain(product);
    expect(error.message).toContain('STORE_URL');
    expect(error.message).not.toContain('hunter2pw');
    expect(log.text()).toContain('could not open the store');
    expect(log.text()).not.toContain('hunter2pw');
  });

  it('refuses a bad STORE_URL or ENCRYPTION_KEY before connecting', async () => {
    const logger = captureLog().logger;
    expect((await storeErrorOf(openStore({ url: 'mongodb://db', dataDir: dir, logger }))).kind).toBe('invalid');
    const badKey = await storeErrorOf(openStore({ dataDir: dir, encryptionKey: 'short', logger }));
    expect(badKey.kind).toBe('invalid');
    expect(badKey.message).toContain('ENCRYPTION_KEY');
  });

  it('turns a backend failure into unavailable instead of an empty answer', async () => {
    const log = captureLog();
    const store = await openStore({ dataDir: dir, encryptionKey: newEncryptionKey(), logger: log.logger });
    try {
      await store.workspaces.grantViewer(TEAM, 'U0VIEW001');
      await dropTable(path.join(dir, 'store.sqlite'), 'viam_billing_kv');
      const error = await storeErrorOf(store.workspaces.get(TEAM));
      expect(error.kind).toBe('unavailable');
      expect(log.entries().find((entry) => entry.msg === 'store operation failed')).toMatchObject({
        operation: 'get',
        storeKey: 'ws:T0KV0001:workspace',
      });
      await dropTable(path.join(dir, 'store.sqlite'), 'viam_billing_claims');
      expect((await storeErrorOf(store.claims.claim('job:1', 'me', 1_000))).kind).toBe('unavailable');
    } finally {
      await store.close();
    }
  });
});

async function dropTable(file: string, table: string): Promise<void> {
  const db = new sqlite3.Database(file);
  await new Promise<void>((resolve, reject) =>
    db.run(`DROP TABLE ${table}`, (error) => (error ? reject(error) : resolve())),
  );
  await new Promise<void>((resolve, reject) => db.close((error) => (error ? reject(error) : resolve())));
}

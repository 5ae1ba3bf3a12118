/**
 * The org from the environment (VIAM_* variables, connectBootstrapOrg in src/app.ts) never replaces a
 * saved key the running ENCRYPTION_KEY cannot open: that key belongs to replicas running with the
 * other key. The store's key check passes here on purpose (the store's own key is the running one):
 * this is a store an older version left with keys sealed by two replicas' different keys.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RunningEmulator, startEmulator } from '../dev/emulator';
import { SEED, type SlackStandIn, startSlackStandIn } from '../dev/slack-stand-in';
import { startApp } from '../src/app';
import { loadConfig } from '../src/config';
import { silentLogger } from '../src/logger';
import { openStore } from '../src/store';
import { appEnv } from './faults/support/fault-app';
import { BACKENDS, captureLog, newEncryptionKey, type RawBackend } from './store/support';
import { takeTurnsOnSharedServers } from './support/shared-servers';

// Redis and PostgreSQL hold the app's one namespace: files using them take turns.
takeTurnsOnSharedServers();

const TEAM = { teamId: SEED.team.id };
const RECORD_KEY = `viam-billing:ws:${SEED.team.id}:workspace`;

/** Raw access to an SQLite store in `folder` under the app's default namespace. */
async function rawSqlite(folder: string): Promise<RawBackend> {
  const sqlite = BACKENDS.find((backend) => backend.name === 'sqlite');
  if (!sqlite) throw new Error('the store tests know no SQLite backend');
  return sqlite.raw(folder, 'viam-billing');
}

describe('the org from the environment', () => {
  let emulator: RunningEmulator;
  let slack: SlackStandIn;
  let dir = '';

  beforeAll(async () => {
    [emulator, slack] = await Promise.all([startEmulator(), startSlackStandIn()]);
    dir = await mkdtemp(path.join(tmpdir(), 'viam-billing-bootstrap-'));
  });

  /** The app in HTTP mode with the emulator's first org in VIAM_*, its store in `folder` under `encryptionKey`. */
  function startWithEnvironmentOrg(folder: string, encryptionKey: string, log: ReturnType<typeof captureLog>) {
    return startApp(loadConfig(appEnv({ emulator, slack, dataDir: folder, env: { ENCRYPTION_KEY: encryptionKey } })), {
      logger: log.logger,
      host: '127.0.0.1',
      manualDigests: true,
      manualAlerts: true,
    });
  }

  afterAll(async () => {
    await slack?.stop();
    await emulator?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** The raw workspace record of a store in `folder`, as the SQLite file holds it. */
  async function rawRecord(folder: string): Promise<string | undefined> {
    const raw = await rawSqlite(folder);
    try {
      return (await raw.entries()).find((entry) => entry.key === RECORD_KEY)?.value;
    } finally {
      await raw.close();
    }
  }

  it('leaves a saved key sealed with another ENCRYPTION_KEY as it is, and says so in one sentence', async () => {
    const org = emulator.orgs[0];
    if (!org) throw new Error('the emulator fixture has no org');
    const ours = newEncryptionKey();
    const theirs = newEncryptionKey();
    const theirFolder = path.join(dir, 'theirs');
    const ourFolder = path.join(dir, 'ours');

    // Their replica saved the org, sealed with their key ...
    const their = await openStore({ dataDir: theirFolder, encryptionKey: theirs, logger: silentLogger() });
    await their.workspaces.connectOrg(TEAM, {
      label: 'default',
      orgId: org.orgId,
      apiKey: { id: org.apiKeyId, key: org.apiKey },
      connectedBy: SEED.users.ada,
    });
    await their.close();
    const sealedByThem = await rawRecord(theirFolder);
    expect(sealedByThem).toBeDefined();

    // ... into a store whose own key (and key check) is ours.
    await (await openStore({ dataDir: ourFolder, encryptionKey: ours, logger: silentLogger() })).close();
    const raw = await rawSqlite(ourFolder);
    await raw.put(RECORD_KEY, sealedByThem as string);
    await raw.close();

    const log = captureLog();
    const app = await startWithEnvironmentOrg(ourFolder, ours, log);
    try {
      expect(await rawRecord(ourFolder)).toBe(sealedByThem);
      const refusals = log.entries().filter((entry) => String(entry.msg).includes('left as stored'));
      expect(refusals).toHaveLength(1);
      expect(refusals[0]?.msg).toMatch(/different ENCRYPTION_KEY.*ENCRYPTION_KEY the other replicas use$/);
      expect(log.entries().some((entry) => entry.msg === 'org from the environment connected')).toBe(false);
      for (const key of [ours, theirs, org.apiKey]) expect(log.text()).not.toContain(key);
    } finally {
      await app.stop();
    }
  });

  it('still replaces a saved key the running key opens, as the source of truth for its org', async () => {
    const org = emulator.orgs[0];
    if (!org) throw new Error('the emulator fixture has no org');
    const key = newEncryptionKey();
    const folder = path.join(dir, 'same-key');
    const store = await openStore({ dataDir: folder, encryptionKey: key, logger: silentLogger() });
    await store.workspaces.connectOrg(TEAM, {
      label: 'default',
      orgId: org.orgId,
      apiKey: { id: org.apiKeyId, key: 'an-older-rotated-key' },
      connectedBy: SEED.users.ada,
    });
    await store.close();

    const log = captureLog();
    const app = await startWithEnvironmentOrg(folder, key, log);
    try {
      expect(await app.services.store.workspaces.revealApiKey(TEAM, 'default')).toEqual({
        id: org.apiKeyId,
        key: org.apiKey,
      });
      expect(log.entries().some((entry) => String(entry.msg).includes('left as stored'))).toBe(false);
    } finally {
      await app.stop();
    }
  });
});

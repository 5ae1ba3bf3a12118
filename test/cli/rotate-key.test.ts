/**
 * `viam-billing rotate-key` (src/cli/rotate-key.ts) on the default SQLite store, as an operator runs it:
 * the new key in ENCRYPTION_KEY, the old one in ENCRYPTION_KEY_PREVIOUS; one line of what it did, one
 * sentence when it cannot, and never a key in either.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/main';
import { silentLogger } from '../../src/logger';
import { openStore } from '../../src/store';

const TEAM = { teamId: 'T0CLIROT1' };
const SECRET = 'viam-secret-cli-rotation-5d1a';
const newKey = () => randomBytes(32).toString('base64');

async function run(env: NodeJS.ProcessEnv, argv = ['rotate-key']) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { env, stdout: (text) => out.push(text), stderr: (text) => err.push(text) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('viam-billing rotate-key', () => {
  let dataDir: string;
  let oldKey: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'cli-rotate-'));
    oldKey = newKey();
    const store = await openStore({ dataDir, encryptionKey: oldKey, logger: silentLogger() });
    await store.workspaces.connectOrg(TEAM, {
      label: 'prod',
      orgId: 'a1b2c3d4-0000-4000-8000-00000000c11a',
      apiKey: { id: 'key-cli-1', key: SECRET },
      connectedBy: 'U0ADMIN1',
    });
    await store.close();
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('seals the store again with the new key, after which the new key alone opens it', async () => {
    const rotatedTo = newKey();
    const result = await run({ DATA_DIR: dataDir, ENCRYPTION_KEY: rotatedTo, ENCRYPTION_KEY_PREVIOUS: oldKey });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(
      /^Rotated to key [0-9a-f]{8}: 1 workspaces, 1 API keys and 0 installations sealed again; the store key check now names the new key\./,
    );
    for (const secret of [rotatedTo, oldKey, SECRET]) expect(result.stdout).not.toContain(secret);

    const store = await openStore({ dataDir, encryptionKey: rotatedTo, logger: silentLogger() });
    expect((await store.workspaces.revealApiKey(TEAM, 'prod')).key).toBe(SECRET);
    await store.close();
    // Again: nothing left to do, and it says so.
    const again = await run({ DATA_DIR: dataDir, ENCRYPTION_KEY: rotatedTo, ENCRYPTION_KEY_PREVIOUS: oldKey });
    expect(again.stdout).toMatch(/0 API keys .* already named the new key/);
  });

  it('says what is missing without the new key, and refuses flags', async () => {
    expect(await run({ DATA_DIR: dataDir })).toMatchObject({
      code: 2,
      stderr:
        'viam-billing: rotate-key needs the new key in ENCRYPTION_KEY and the old one in ENCRYPTION_KEY_PREVIOUS.',
    });
    const flagged = await run({ DATA_DIR: dataDir }, ['rotate-key', '--json']);
    expect(flagged.code).toBe(2);
    expect(flagged.stderr).toMatch(/rotate-key takes no arguments or flags/);
  });

  it('refuses to start when the old key is not among the previous keys, changing nothing', async () => {
    const rotatedTo = newKey();
    const result = await run({ DATA_DIR: dataDir, ENCRYPTION_KEY: rotatedTo, ENCRYPTION_KEY_PREVIOUS: newKey() });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^viam-billing: .*ENCRYPTION_KEY/);
    expect(result.stderr).not.toContain(rotatedTo);
    const store = await openStore({ dataDir, encryptionKey: oldKey, logger: silentLogger() });
    expect((await store.workspaces.revealApiKey(TEAM, 'prod')).key).toBe(SECRET);
    await store.close();
  });
});

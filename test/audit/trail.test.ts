import { AuditTrail } from '../../src/audit/trail';
import { silentLogger } from '../../src/logger';
import { openStore, type Store } from '../../src/store';
import { newEncryptionKey, tempDir } from '../store/support';

describe('AuditTrail', () => {
  let store: Store;
  let remove: () => Promise<void>;
  let clock = Date.parse('2026-05-01T09:00:00Z');
  const ref = { teamId: 'T0AUDIT' };

  beforeEach(async () => {
    const dir = await tempDir();
    remove = dir.remove;
    store = await openStore({ dataDir: dir.dir, encryptionKey: newEncryptionKey(), logger: silentLogger() });
  });

  afterEach(async () => {
    await store.close();
    await remove();
  });

  it('keeps the newest entries up to its capacity, stamped with the clock', async () => {
    const tick = () => {
      clock += 60_000;
      return new Date(clock);
    };
    const trail = new AuditTrail(store, tick, 3);
    for (const subject of ['U1', 'U2', 'U3', 'U4']) {
      await trail.record(ref, { action: 'access.granted', actor: 'U0ADMIN', subject });
    }
    const latest = await trail.latest(ref, 10);
    expect(latest.map((entry) => entry.subject)).toEqual(['U4', 'U3', 'U2']);
    expect(latest[0]?.at).toBe('2026-05-01T09:04:00.000Z');
    expect(await trail.latest(ref, 1)).toHaveLength(1);
  });

  it('lives in the workspace space, so deleting the workspace removes it', async () => {
    const trail = new AuditTrail(store, () => new Date(clock));
    await trail.record(ref, { action: 'workspace.reset', actor: 'U0ADMIN' });
    await store.workspaces.deleteWorkspace(ref);
    expect(await trail.latest(ref, 10)).toEqual([]);
  });
});

import type { Store } from '../../src/store';
import { describeEachBackend, newEncryptionKey, tempDir, uniqueNamespace } from '../store/support';
import { type Harness, startHarness, TEAM } from './harness';

/**
 * Several replicas share one store and tick at the same moment: each digest is still posted once,
 * because the claim is atomic in the backend (a transaction on SQLite, SET NX PX on Redis, INSERT …
 * ON CONFLICT on PostgreSQL). Redis and PostgreSQL run when REDIS_URL / DATABASE_URL are set.
 */
describeEachBackend('two digest schedulers on one store', (backend) => {
  let h: Harness;
  let stores: Store[];
  let dir: string;
  let namespace: string;
  let removeDir: () => Promise<void>;

  beforeEach(async () => {
    h = await startHarness({ start: '2026-11-23T07:59:00Z' });
    const temp = await tempDir();
    dir = temp.dir;
    removeDir = temp.remove;
    namespace = uniqueNamespace();
    const encryptionKey = newEncryptionKey();
    const open = () => backend.open({ dir, namespace, logger: h.log.logger, encryptionKey, now: h.clock.now });
    stores = [await open(), await open()];
  });

  afterEach(async () => {
    for (const store of stores) await store.close();
    const raw = await backend.raw(dir, namespace);
    await raw.clear();
    await raw.close();
    await removeDir();
    await h.stop();
  });

  it('posts each digest exactly once when both tick concurrently', async () => {
    const [first, second] = stores as [Store, Store];
    await first.workspaces.connectOrg(TEAM, {
      label: 'acme',
      orgId: h.emulator.orgs[0]?.orgId ?? '',
      apiKey: { id: h.emulator.orgs[0]?.apiKeyId ?? '', key: h.emulator.orgs[0]?.apiKey ?? '' },
      connectedBy: 'U0ADAOWNER',
    });
    const channels: string[] = [];
    const setup = h.newRunner({ store: first });
    for (let index = 0; index < 12; index++) {
      const channelId = h.standIn.workspace.addChannel(TEAM.teamId, { name: `digest-${index}`, botIsMember: true }).id;
      channels.push(channelId);
      await setup.schedules.set(TEAM, {
        channelId,
        orgLabel: 'acme',
        weekday: 'mon',
        time: '09:00',
        timeZone: 'Europe/Berlin',
        createdBy: 'U0ADAOWNER',
        createdAt: '2026-11-01T00:00:00.000Z',
      });
    }

    h.clock.set('2026-11-23T08:00:00Z');
    // Three rounds of fresh replicas (no in-process memory) racing each other.
    for (let round = 0; round < 3; round++) {
      const a = h.newScheduler({ runner: h.newRunner({ store: first, owner: `replica-a-${round}` }), concurrency: 4 });
      const b = h.newScheduler({ runner: h.newRunner({ store: second, owner: `replica-b-${round}` }), concurrency: 4 });
      const reports = await Promise.all([a.tick(), b.tick()]);
      const runs = reports.flatMap((report) => report.runs);
      // Both replicas went for every channel; only one of them posted each.
      expect(runs).toHaveLength(24);
      const posted = runs.filter((run) => run.outcome.status === 'posted');
      expect(posted).toHaveLength(round === 0 ? 12 : 0);
      expect(new Set(posted.map((run) => run.channelId)).size).toBe(posted.length);
    }
    for (const channelId of channels) expect(h.digestsIn(channelId)).toHaveLength(1);
  });
});

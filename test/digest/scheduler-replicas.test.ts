import { Agent } from 'undici';
import { DigestCharts } from '../../src/digest/charts';
import { ChannelPacer } from '../../src/digest/pacing';
import type { DigestSchedule } from '../../src/digest/schedules';
import { digestChartDrawing } from '../../src/services/spend-chart';
import type { Store } from '../../src/store';
import { describeEachBackend, newEncryptionKey, tempDir, uniqueNamespace } from '../store/support';
import { type Harness, startHarness, TEAM } from './harness';

/**
 * Several replicas share one store and tick at the same moment: each due digest is taken by one of
 * them (the due index leases it atomically) and posted once, with the claim as the runner's own guard
 * (a transaction on SQLite, SET NX PX on Redis, INSERT … ON CONFLICT on PostgreSQL). Redis and
 * PostgreSQL run when REDIS_URL / DATABASE_URL are set.
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

  async function connectAcme(store: Store): Promise<void> {
    const org = h.emulator.orgs[0];
    if (!org) throw new Error('the emulator fixture has no org');
    await store.workspaces.connectOrg(TEAM, {
      label: 'acme',
      orgId: org.orgId,
      apiKey: { id: org.apiKeyId, key: org.apiKey },
      connectedBy: 'U0ADAOWNER',
    });
  }

  it('posts each digest exactly once when both tick concurrently', async () => {
    const [first, second] = stores as [Store, Store];
    await connectAcme(first);
    const channels: string[] = [];
    const setup = h.newRunner({ store: first });
    for (let index = 0; index < 12; index++) {
      const channelId = h.standIn.workspace.addChannel(TEAM.teamId, { name: `digest-${index}`, botIsMember: true }).id;
      channels.push(channelId);
      await setup.schedules.set(TEAM, mondayInBerlin(channelId));
    }

    h.clock.set('2026-11-23T08:00:00Z');
    // Three rounds of fresh replicas (no in-process memory) racing each other.
    for (let round = 0; round < 3; round++) {
      const a = h.newScheduler({ runner: h.newRunner({ store: first, owner: `replica-a-${round}` }), concurrency: 4 });
      const b = h.newScheduler({ runner: h.newRunner({ store: second, owner: `replica-b-${round}` }), concurrency: 4 });
      const reports = await Promise.all([a.tick(), b.tick()]);
      const runs = reports.flatMap((report) => report.runs);
      // Each due channel was taken by one replica only, which posted it; later rounds find nothing due.
      expect(runs).toHaveLength(round === 0 ? 12 : 0);
      expect(runs.filter((run) => run.outcome.status === 'posted')).toHaveLength(runs.length);
      expect(new Set(runs.map((run) => run.channelId)).size).toBe(runs.length);
    }
    for (const channelId of channels) expect(h.digestsIn(channelId)).toHaveLength(1);
  });

  it('shares each digest’s chart once into its thread when both chart queues tick at once', async () => {
    const [first, second] = stores as [Store, Store];
    await connectAcme(first);
    const setup = h.newRunner({ store: first });
    const channels: string[] = [];
    for (let index = 0; index < 8; index++) {
      const channelId = h.standIn.workspace.addChannel(TEAM.teamId, { name: `charted-${index}`, botIsMember: true }).id;
      channels.push(channelId);
      await setup.schedules.set(TEAM, mondayInBerlin(channelId));
    }
    h.clock.set('2026-11-23T08:00:00Z');
    const replica = (store: Store, owner: string) => {
      const pacer = new ChannelPacer({ now: h.clock.now, sleep: h.sleep });
      const charts = new DigestCharts({
        store,
        clientFor: h.clientFor,
        dispatcher: new Agent(),
        draw: digestChartDrawing({ store }),
        pacer,
        logger: h.log.logger,
        now: h.clock.now,
        owner,
        concurrency: 2,
      });
      const scheduler = h.newScheduler({ runner: h.newRunner({ store, owner, pacer, charts }), concurrency: 4 });
      return { scheduler, charts };
    };
    const [a, b] = [replica(first, 'replica-a'), replica(second, 'replica-b')];
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    const shared = (await Promise.all([a.charts.tick(), b.charts.tick()])).flat();
    expect(shared.filter((report) => report.outcome.status === 'posted')).toHaveLength(channels.length);
    expect(await Promise.all([a.charts.tick(), b.charts.tick()])).toEqual([[], []]);

    for (const channelId of channels) {
      const [digest] = h.digestsIn(channelId);
      const files = h.standIn.uploadedFiles().filter((file) => file.channel === channelId);
      expect(files.map((file) => file.threadTs)).toEqual([digest?.ts]);
    }
  });

  it('never drops a schedule saved while the replicas tick, even one due at once', async () => {
    const [first, second] = stores as [Store, Store];
    await connectAcme(first);
    h.clock.set('2026-11-23T08:05:00Z');
    const a = h.newScheduler({ runner: h.newRunner({ store: first, owner: 'replica-a' }), concurrency: 4 });
    const b = h.newScheduler({ runner: h.newRunner({ store: second, owner: 'replica-b' }), concurrency: 4 });
    const setup = h.newRunner({ store: first });
    const channels = Array.from(
      { length: 120 },
      (_, index) => h.standIn.workspace.addChannel(TEAM.teamId, { name: `racing-${index}`, botIsMember: true }).id,
    );
    // Monday 09:00 Berlin was five minutes ago and the schedules date from before it: each is owed, so due at once,
    // and both replicas tick without pause while they are saved.
    let saving = true;
    const ticking = (scheduler: typeof a) =>
      (async () => {
        while (saving) await scheduler.tick();
      })();
    const tickers = [ticking(a), ticking(b)];
    await Promise.all(channels.map((channelId) => setup.schedules.set(TEAM, mondayInBerlin(channelId))));
    saving = false;
    await Promise.all(tickers);
    await Promise.all([a.tick(), b.tick()]);
    for (const channelId of channels) expect(h.digestsIn(channelId)).toHaveLength(1);
  });
});

/** A weekly `acme` digest for Monday 09:00 in Berlin, set up at the start of November. */
function mondayInBerlin(channelId: string): DigestSchedule {
  return {
    channelId,
    orgLabel: 'acme',
    weekday: 'mon',
    time: '09:00',
    timeZone: 'Europe/Berlin',
    createdBy: 'U0ADAOWNER',
    createdAt: '2026-11-01T00:00:00.000Z',
  };
}

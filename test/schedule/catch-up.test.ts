/**
 * Digests due while the app was down, on each backend: their due times are in the past, so the first
 * tick after the restart takes them; within DIGEST_GRACE_HOURS the digest is posted marked late, past
 * it the week is recorded as skipped. Either way the schedule is then due at next week's time.
 */
import { LATE_NOTE } from '../../src/blocks/digest';
import { DIGEST_QUEUE, digestMember } from '../../src/digest/schedules';
import type { Store } from '../../src/store';
import { type Harness, startHarness, TEAM } from '../digest/harness';
import { describeEachBackend, newEncryptionKey, tempDir, uniqueNamespace } from '../store/support';

describeEachBackend('catching up on digests missed while the app was down', (backend) => {
  let h: Harness;
  let store: Store;
  let cleanUp: () => Promise<void>;

  beforeEach(async () => {
    // Set up on Friday; the app then goes down until Monday evening.
    h = await startHarness({ start: '2026-11-20T12:00:00Z' });
    const temp = await tempDir();
    const namespace = uniqueNamespace();
    store = await backend.open({
      dir: temp.dir,
      namespace,
      logger: h.log.logger,
      encryptionKey: newEncryptionKey(),
      now: h.clock.now,
    });
    cleanUp = async () => {
      await store.close();
      const raw = await backend.raw(temp.dir, namespace);
      await raw.clear();
      await raw.close();
      await temp.remove();
    };
  });

  afterEach(async () => {
    await cleanUp();
    await h.stop();
  });

  it('posts a digest missed within the grace window marked late, skips one missed by more', async () => {
    const org = h.emulator.orgs[0];
    if (!org) throw new Error('no emulator org');
    await store.workspaces.connectOrg(TEAM, {
      label: 'acme',
      orgId: org.orgId,
      apiKey: { id: org.apiKeyId, key: org.apiKey },
      connectedBy: 'U0ADAOWNER',
    });
    const missedLately = h.standIn.workspace.addChannel(TEAM.teamId, { name: 'lately', botIsMember: true }).id;
    const missedLong = h.standIn.workspace.addChannel(TEAM.teamId, { name: 'long-ago', botIsMember: true }).id;
    const runner = h.newRunner({ store });
    const common = {
      orgLabel: 'acme',
      timeZone: 'UTC',
      createdBy: 'U0ADAOWNER',
      createdAt: '2026-11-20T12:00:00.000Z',
    };
    // Monday 09:00 UTC (10 hours before the restart) and Sunday 09:00 UTC (34 hours before).
    await runner.schedules.set(TEAM, { ...common, channelId: missedLately, weekday: 'mon', time: '09:00' });
    await runner.schedules.set(TEAM, { ...common, channelId: missedLong, weekday: 'sun', time: '09:00' });

    h.clock.set('2026-11-23T19:00:00Z');
    const report = await h.newScheduler({ runner }).tick();
    const outcomes = new Map(report.runs.map((run) => [run.channelId, run.outcome]));
    expect(outcomes.get(missedLately)).toEqual({ status: 'posted', ts: expect.any(String), late: true });
    expect(outcomes.get(missedLong)).toEqual({ status: 'skipped' });
    expect(JSON.stringify(h.digestsIn(missedLately)[0]?.blocks)).toContain(LATE_NOTE);
    expect(h.digestsIn(missedLong)).toEqual([]);
    expect(await runner.runs.get(TEAM, missedLong, '2026-W47')).toMatchObject({ state: 'skipped' });

    const dueAt = async (channelId: string) =>
      (await store.due.get(DIGEST_QUEUE, digestMember(TEAM, channelId)))?.toISOString();
    expect(await dueAt(missedLately)).toBe('2026-11-30T09:00:00.000Z');
    expect(await dueAt(missedLong)).toBe('2026-11-29T09:00:00.000Z');
    expect((await h.newScheduler({ runner: h.newRunner({ store }) }).tick()).runs).toEqual([]);
  });
});

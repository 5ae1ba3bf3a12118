import { type DigestSchedule, DigestSchedules } from '../../src/digest/schedules';
import { openStore, type Store, StoreError } from '../../src/store';
import { type CapturedLog, captureLog, newEncryptionKey, tempDir, uniqueNamespace } from '../store/support';

const schedule = (fields: Partial<DigestSchedule> = {}): DigestSchedule => ({
  channelId: 'C0BILLING0',
  orgLabel: 'acme',
  weekday: 'mon',
  time: '09:00',
  timeZone: 'Europe/Berlin',
  createdBy: 'U0ADAOWNER',
  createdAt: '2026-11-20T10:00:00.000Z',
  ...fields,
});

describe('DigestSchedules', () => {
  let store: Store;
  let log: CapturedLog;
  let schedules: DigestSchedules;
  let remove: () => Promise<void>;
  const team = { teamId: 'T0ACMEROBO' };
  const other = { teamId: 'T0OTHER', enterpriseId: 'E0GRID' };

  beforeEach(async () => {
    const temp = await tempDir();
    remove = temp.remove;
    log = captureLog();
    store = await openStore({
      dataDir: temp.dir,
      namespace: uniqueNamespace(),
      encryptionKey: newEncryptionKey(),
      logger: log.logger,
    });
    schedules = new DigestSchedules(store, log.logger);
  });

  afterEach(async () => {
    await store.close();
    await remove();
  });

  it('keeps one schedule per channel, replaced by a later set', async () => {
    await schedules.set(team, schedule());
    await schedules.set(team, schedule({ weekday: 'fri', time: '16:30' }));
    await schedules.set(team, schedule({ channelId: 'G0FINANCE0', orgLabel: 'acme-staging' }));
    expect(await schedules.get(team, 'C0BILLING0')).toEqual(schedule({ weekday: 'fri', time: '16:30' }));
    expect((await schedules.listFor(team)).map((entry) => entry.channelId)).toEqual(['C0BILLING0', 'G0FINANCE0']);
  });

  it('stores the zone in its canonical spelling and refuses unknown zones', async () => {
    expect((await schedules.set(team, schedule({ timeZone: 'europe/berlin' }))).timeZone).toBe('Europe/Berlin');
    await expect(schedules.set(team, schedule({ timeZone: 'Mars/Base' }))).rejects.toBeInstanceOf(StoreError);
    await expect(schedules.set(team, schedule({ time: '9:00' }))).rejects.toMatchObject({ kind: 'invalid' });
    await expect(schedules.set(team, schedule({ channelId: 'not-a-channel' }))).rejects.toMatchObject({
      kind: 'invalid',
    });
  });

  it('removes a schedule and says whether there was one', async () => {
    await schedules.set(team, schedule());
    expect(await schedules.remove(team, 'C0BILLING0')).toBe(true);
    expect(await schedules.remove(team, 'C0BILLING0')).toBe(false);
    expect(await schedules.get(team, 'C0BILLING0')).toBeUndefined();
  });

  it('lists every workspace’s schedules, and they go when the workspace is deleted', async () => {
    await schedules.set(team, schedule());
    await schedules.set(other, schedule({ channelId: 'C0OTHER00' }));
    const all: string[] = [];
    for await (const { ref, schedule: entry } of schedules.listAll()) all.push(`${ref.teamId}/${entry.channelId}`);
    expect(all.sort()).toEqual(['T0ACMEROBO/C0BILLING0', 'T0OTHER/C0OTHER00']);

    await store.workspaces.deleteWorkspace(other);
    const left: string[] = [];
    for await (const { schedule: entry } of schedules.listAll()) left.push(entry.channelId);
    expect(left).toEqual(['C0BILLING0']);
  });
});

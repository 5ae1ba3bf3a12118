import { DIGEST_QUEUE, type DigestSchedule, DigestSchedules, digestMember } from '../../src/digest/schedules';
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

const NOW = new Date('2026-11-22T12:00:00Z');

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
    schedules = new DigestSchedules(store, log.logger, () => NOW);
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

  const dueAt = async (ref: typeof team, channelId: string) =>
    (await store.due.get(DIGEST_QUEUE, digestMember(ref, channelId)))?.toISOString();

  it('makes a saved schedule due at its next occurrence, moves it when changed and drops it when removed', async () => {
    // Set up now (Sunday noon): Monday 09:00 in Berlin is the first one.
    await schedules.set(team, schedule({ createdAt: NOW.toISOString() }));
    expect(await dueAt(team, 'C0BILLING0')).toBe('2026-11-23T08:00:00.000Z');
    await schedules.set(team, schedule({ weekday: 'fri', time: '16:30', createdAt: NOW.toISOString() }));
    expect(await dueAt(team, 'C0BILLING0')).toBe('2026-11-27T15:30:00.000Z');
    // Set up before this week's time had passed: this week's digest is still owed, so it is due at once.
    await schedules.set(team, schedule({ weekday: 'sat', time: '08:00', createdAt: '2026-11-20T10:00:00.000Z' }));
    expect(await dueAt(team, 'C0BILLING0')).toBe('2026-11-21T07:00:00.000Z');
    expect(await store.due.size(DIGEST_QUEUE)).toBe(1);

    await schedules.remove(team, 'C0BILLING0');
    expect(await dueAt(team, 'C0BILLING0')).toBeUndefined();
    expect(await store.due.size(DIGEST_QUEUE)).toBe(0);
  });

  it('refuses an invalid schedule without making anything due', async () => {
    await expect(schedules.set(team, schedule({ createdBy: 'nobody' }))).rejects.toMatchObject({ kind: 'invalid' });
    expect(await store.due.size(DIGEST_QUEUE)).toBe(0);
  });

  it('lists a workspace’s schedules, and they and their due times go when the workspace is deleted', async () => {
    await schedules.set(team, schedule());
    await schedules.set(other, schedule({ channelId: 'C0OTHER00' }));
    expect((await schedules.listFor(other)).map((entry) => entry.channelId)).toEqual(['C0OTHER00']);
    expect(await store.due.size(DIGEST_QUEUE)).toBe(2);

    await store.workspaces.deleteWorkspace(other);
    expect(await schedules.listFor(other)).toEqual([]);
    expect(await dueAt(other, 'C0OTHER00')).toBeUndefined();
    expect((await schedules.listFor(team)).map((entry) => entry.channelId)).toEqual(['C0BILLING0']);
    expect(await dueAt(team, 'C0BILLING0')).toBeDefined();
  });
});

import { z } from 'zod';
import { silentLogger } from '../../src/logger';
import type { RecordType } from '../../src/store';
import { openKv } from '../../src/store/keyv';
import { compareAndSet, MAX_CAS_ATTEMPTS } from '../../src/store/records';
import { parseStoreUrl } from '../../src/store/store-url';
import { captureLog, describeEachBackend, storeErrorOf, tempDir, uniqueNamespace, useBackend } from './support';

const TEAM = { teamId: 'T0REC001' };
const OTHER = { teamId: 'T0REC002' };

const scheduleSchema = z.object({ cron: z.string(), channel: z.string() });
type Schedule = z.infer<typeof scheduleSchema>;

const SCHEDULES: RecordType<Schedule> = {
  kind: 'schedule',
  version: 2,
  schema: scheduleSchema,
  // Version 1 stored the channel as `to`.
  upgrade: (from, data) => {
    if (from !== 1) throw new Error('unknown version');
    const { to, ...rest } = data as { to: string; cron: string };
    return { ...rest, channel: to };
  },
};

describeEachBackend('records', (backend) => {
  const ctx = useBackend(backend);

  it('reads several records in one call, in order, with gaps for missing ones; lists IDs by prefix without values', async () => {
    const store = await ctx.open();
    const schedules = store.records(SCHEDULES);
    await schedules.set(TEAM, 'a', { cron: '1', channel: 'C1' });
    await schedules.set(TEAM, 'c', { cron: '3', channel: 'C3' });
    await schedules.set(OTHER, 'b', { cron: '2', channel: 'C2' });
    expect(await schedules.getMany(TEAM, ['c', 'b', 'a'])).toEqual([
      { cron: '3', channel: 'C3' },
      undefined,
      { cron: '1', channel: 'C1' },
    ]);
    expect(await schedules.getMany(TEAM, [])).toEqual([]);
    expect(await schedules.listIds(TEAM)).toEqual(['a', 'c']);
    await schedules.set(TEAM, 'org-1:2026-11-02', { cron: '4', channel: 'C4' });
    await schedules.set(TEAM, 'org-1:2026-11-01', { cron: '5', channel: 'C5' });
    await schedules.set(TEAM, 'org-10:2026-11-01', { cron: '6', channel: 'C6' });
    expect(await schedules.listIds(TEAM, 'org-1:')).toEqual(['org-1:2026-11-01', 'org-1:2026-11-02']);
  });

  it('gets, sets, updates, lists and deletes records per workspace', async () => {
    const store = await ctx.open();
    const schedules = store.records(SCHEDULES);
    expect(await schedules.get(TEAM, 'weekly')).toBeUndefined();

    await schedules.set(TEAM, 'weekly', { cron: '0 9 * * MON', channel: 'C0001' });
    await schedules.set(TEAM, 'monthly', { cron: '0 9 1 * *', channel: 'C0002' });
    await schedules.set(OTHER, 'weekly', { cron: '0 8 * * MON', channel: 'C0003' });
    // A kind whose name starts like this one must not leak into its listing.
    await store.records({ kind: 'schedule-x', version: 1, schema: z.object({}) }).set(TEAM, 'weekly', {});

    expect(await schedules.get(TEAM, 'weekly')).toEqual({ cron: '0 9 * * MON', channel: 'C0001' });
    expect(await schedules.list(TEAM)).toEqual({
      records: [
        { id: 'monthly', value: { cron: '0 9 1 * *', channel: 'C0002' } },
        { id: 'weekly', value: { cron: '0 9 * * MON', channel: 'C0001' } },
      ],
      unreadable: [],
    });

    const concurrent = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        schedules.update(TEAM, 'counter', (current) => ({
          cron: String(Number(current?.cron ?? '0') + 1),
          channel: `C${index}`,
        })),
      ),
    );
    expect(concurrent).toHaveLength(10);
    expect((await schedules.get(TEAM, 'counter'))?.cron).toBe('10');
    expect(await schedules.update(TEAM, 'counter', () => undefined)).toBeUndefined();
    expect(await schedules.get(TEAM, 'counter')).toBeUndefined();

    expect(await schedules.delete(TEAM, 'monthly')).toBe(true);
    expect((await schedules.list(TEAM)).records.map((record) => record.id)).toEqual(['weekly']);
    expect((await schedules.list(OTHER)).records).toHaveLength(1);
  });

  it('upgrades older versions and reports newer or broken ones without hiding the rest', async () => {
    const store = await ctx.open();
    const schedules = store.records(SCHEDULES);
    const raw = await ctx.raw();
    const physical = (id: string) => `${ctx.namespace}:ws:T0REC001:schedule:${id}`;
    await raw.put(physical('old'), JSON.stringify({ value: { v: 1, data: { cron: '0 7 * * *', to: 'C0OLD' } } }));
    await raw.put(physical('future'), JSON.stringify({ value: { v: 3, data: { cron: '0 7 * * *', channel: 'C1' } } }));
    await raw.put(physical('broken'), 'not json at all');
    await schedules.set(TEAM, 'fine', { cron: '0 9 * * *', channel: 'C0FINE' });

    expect(await schedules.get(TEAM, 'old')).toEqual({ cron: '0 7 * * *', channel: 'C0OLD' });
    expect((await storeErrorOf(schedules.get(TEAM, 'future'))).kind).toBe('corrupt');
    const listing = await schedules.list(TEAM);
    expect(listing.records.map((record) => record.id)).toEqual(['fine', 'old']);
    expect(listing.unreadable.map((entry) => [entry.id, entry.error.kind])).toEqual([
      ['broken', 'corrupt'],
      ['future', 'corrupt'],
    ]);
    expect(ctx.log.text()).toContain('newer version of the app');

    const { backupKey } = await schedules.reset(TEAM, 'broken');
    expect(backupKey).toMatch(/^ws:T0REC001:corrupt:\d{8}T\d{9}Z:schedule:broken$/);
    expect((await schedules.list(TEAM)).unreadable.map((entry) => entry.id)).toEqual(['future']);
    expect(await schedules.reset(TEAM, 'fine')).toEqual({});
    expect(await schedules.get(TEAM, 'fine')).toBeUndefined();
  });

  it('refuses invalid values, kinds and ids', async () => {
    const store = await ctx.open();
    const schedules = store.records(SCHEDULES);
    expect((await storeErrorOf(schedules.set(TEAM, 'weekly', { cron: 5 } as unknown as Schedule))).kind).toBe(
      'invalid',
    );
    expect((await storeErrorOf(schedules.set(TEAM, 'has space', { cron: 'x', channel: 'C' }))).kind).toBe('invalid');
    expect(() => store.records({ ...SCHEDULES, kind: 'workspace' })).toThrow('cannot name a record kind');
    expect(() => store.records({ ...SCHEDULES, kind: 'Bad Kind' })).toThrow('cannot name a record kind');
  });
});

describe('a change that keeps losing to another replica', () => {
  it('is re-read and re-applied up to the bound, then fails with one sentence and leaves the winner’s value', async () => {
    const { dir, remove } = await tempDir();
    const namespace = uniqueNamespace();
    const spec = parseStoreUrl(undefined, dir);
    const log = captureLog();
    const [ours, theirs] = [
      await openKv({ spec, namespace, logger: silentLogger() }),
      await openKv({ spec, namespace, logger: silentLogger() }),
    ];
    try {
      const key = 'ws:T0REC003:counter:c';
      await ours.write(key, { n: 0 });
      // Between each of our reads and our write, the other replica changes the record for real.
      let theirWrites = 0;
      const losing = new Proxy(ours, {
        get(target, property, receiver) {
          if (property !== 'readRaw') return Reflect.get(target, property, receiver);
          return async (readKey: string) => {
            const raw = await target.readRaw(readKey);
            theirWrites += 1;
            await theirs.write(readKey, { n: 1_000 + theirWrites });
            return raw;
          };
        },
      });
      let applied = 0;
      const failure = await storeErrorOf(
        compareAndSet(
          losing,
          key,
          (stored) => {
            applied += 1;
            return { next: { n: (stored as { n: number }).n + 1 }, result: undefined };
          },
          log.logger,
        ),
      );
      expect(failure.kind).toBe('conflict');
      expect(failure.message).toBe(
        'Too many changes to the same setting arrived at once, so this one was not saved. Nothing was lost; try again in a moment.',
      );
      expect(applied).toBe(MAX_CAS_ATTEMPTS);
      expect(await ours.get(key)).toEqual({ n: 1_000 + MAX_CAS_ATTEMPTS });
      expect(log.entries()).toContainEqual(
        expect.objectContaining({ msg: 'gave up a change after repeated conflicts', attempts: MAX_CAS_ATTEMPTS }),
      );
    } finally {
      await ours.close();
      await theirs.close();
      await remove();
    }
  }, 30_000);
});

/**
 * The scheduling core on a real store, on SQLite and (when REDIS_URL / DATABASE_URL are set) on Redis
 * and PostgreSQL. Two stores opened on one backend and namespace stand in for two replicas: each has
 * its own connection, as two processes would.
 */
import type { Logger } from '../../src/logger';
import { type DueHandler, DueTicker } from '../../src/schedule/due-ticker';
import { dueMember } from '../../src/schedule/members';
import type { DueItem, Store, WorkspaceRef } from '../../src/store';
import { describeEachBackend, useBackend } from '../store/support';

const QUEUE = 'test-work';
const T0 = new Date('2026-11-23T08:00:00Z');
const MINUTE = 60_000;
const WEEK = 7 * 24 * 60 * MINUTE;

/** A handler that records what it ran (and on which replica) and makes each item due a week later. */
function weeklyHandler(replica: string, ran: Array<{ replica: string; member: string; dueAt: string }>) {
  const handler: DueHandler<string> = {
    async run(item: DueItem, now: Date) {
      ran.push({ replica, member: item.member, dueAt: item.dueAt.toISOString() });
      // A little work, so the two replicas' ticks overlap.
      await new Promise((resolve) => setTimeout(resolve, 2));
      return { report: item.member, next: new Date(now.getTime() + WEEK) };
    },
    timedOut: (item) => `timed out: ${item.member}`,
  };
  return handler;
}

function ticker(store: Store, handler: DueHandler<string>, logger: Logger, now: () => Date, concurrency = 4) {
  return new DueTicker<string>({
    store,
    queue: QUEUE,
    handler,
    logger,
    now,
    concurrency,
    itemTimeoutMs: 10_000,
    cronPattern: '* * * * *',
    summary: { message: 'test tick finished', fields: (reports) => ({ reports: reports.length }) },
  });
}

const refOf = (index: number): WorkspaceRef => ({ teamId: `T0DUE${String(index).padStart(4, '0')}` });

describeEachBackend('the scheduling core', (backend) => {
  const ctx = useBackend(backend);
  let clock = T0.getTime();
  const now = () => new Date(clock);

  beforeEach(() => {
    clock = T0.getTime();
  });

  async function seed(store: Store, count: number, dueAt: Date): Promise<string[]> {
    const members: string[] = [];
    for (let index = 0; index < count; index++) {
      const ref = refOf(index);
      const member = dueMember(ref, 'thing', `item-${index}`);
      await store.due.set(QUEUE, member, dueAt);
      members.push(member);
    }
    return members;
  }

  it('takes each due item once across two replicas, and writes its next run back', async () => {
    const [a, b] = [await ctx.open({ now }), await ctx.open({ now })] as [Store, Store];
    const members = await seed(a, 40, new Date(T0.getTime() - MINUTE));
    // Due later: not taken now.
    const later = dueMember(refOf(99), 'thing', 'later');
    await a.due.set(QUEUE, later, new Date(T0.getTime() + MINUTE));

    const ran: Array<{ replica: string; member: string; dueAt: string }> = [];
    const tickers = [
      ticker(a, weeklyHandler('a', ran), ctx.log.logger, now),
      ticker(b, weeklyHandler('b', ran), ctx.log.logger, now),
    ];
    const reports = await Promise.all(tickers.map((each) => each.tick()));

    expect(ran.map((run) => run.member).sort()).toEqual([...members].sort());
    expect(new Set(ran.map((run) => run.member)).size).toBe(40);
    expect(reports.flatMap((report) => report.reports).sort()).toEqual([...members].sort());
    for (const run of ran) expect(run.dueAt).toBe(new Date(T0.getTime() - MINUTE).toISOString());
    for (const member of members) expect(await b.due.get(QUEUE, member)).toEqual(new Date(T0.getTime() + WEEK));
    expect(await a.due.get(QUEUE, later)).toEqual(new Date(T0.getTime() + MINUTE));

    // Ticks again this minute take nothing, on either replica.
    expect((await tickers[0]?.tick())?.reports).toEqual([]);
    expect((await tickers[1]?.tick())?.reports).toEqual([]);
    expect(ran).toHaveLength(40);
  });

  it('gives way to a higher-priority tick: starts nothing while it runs, and hands back what it took but had not started', async () => {
    const store = await ctx.open({ now });
    const members = await seed(store, 10, new Date(T0.getTime() - MINUTE));
    let busy = true;
    const ran: Array<{ replica: string; member: string; dueAt: string }> = [];
    const lowPriority = new DueTicker<string>({
      store,
      queue: QUEUE,
      handler: weeklyHandler('low', ran),
      logger: ctx.log.logger,
      now,
      concurrency: 2,
      itemTimeoutMs: 10_000,
      cronPattern: '* * * * *',
      yieldTo: () => busy || ran.length >= 3,
      summary: { message: 'test tick finished', fields: (reports) => ({ reports: reports.length }) },
    });
    expect(await lowPriority.tick()).toEqual({ ran: false, reports: [] });
    expect(ran).toEqual([]);

    // The other tick ends; this one starts, and gives way again once three items ran.
    busy = false;
    const { ran: started, reports } = await lowPriority.tick();
    expect(started).toBe(true);
    expect(reports.length).toBeGreaterThanOrEqual(3);
    expect(reports.length).toBeLessThan(10);
    const untouched = members.filter((member) => !reports.includes(member));
    for (const member of untouched) expect(await store.due.get(QUEUE, member)).toEqual(new Date(T0.getTime() - MINUTE));
    for (const member of reports) expect(await store.due.get(QUEUE, member)).toEqual(new Date(T0.getTime() + WEEK));
  });

  it('brings back the item of a taker that crashed when its lease ends', async () => {
    const [crashed, survivor] = [await ctx.open({ now }), await ctx.open({ now })] as [Store, Store];
    const [member] = await seed(crashed, 1, T0);
    // The crashed replica took the item (as its ticker does) and died before writing a next time.
    expect(await crashed.due.take(QUEUE, now(), 10, 5 * MINUTE)).toEqual([{ member, dueAt: T0 }]);

    const ran: Array<{ replica: string; member: string; dueAt: string }> = [];
    const survivorTicker = ticker(survivor, weeklyHandler('survivor', ran), ctx.log.logger, now);
    clock += 4 * MINUTE;
    expect((await survivorTicker.tick()).reports).toEqual([]);
    clock += MINUTE;
    expect((await survivorTicker.tick()).reports).toEqual([member]);
    expect(ran).toEqual([{ replica: 'survivor', member, dueAt: new Date(T0.getTime() + 5 * MINUTE).toISOString() }]);
    expect(await survivor.due.get(QUEUE, member ?? '')).toEqual(new Date(clock + WEEK));
  });

  it('removes an item whose work is gone, and brings back soon one whose work threw', async () => {
    const store = await ctx.open({ now });
    const [gone, failing] = await seed(store, 2, T0);
    const handler: DueHandler<string> = {
      async run(item) {
        if (item.member === gone) return { next: 'remove' };
        throw new Error('the work broke');
      },
      timedOut: () => 'timed out',
    };
    expect((await ticker(store, handler, ctx.log.logger, now).tick()).reports).toEqual([]);
    expect(await store.due.get(QUEUE, gone ?? '')).toBeUndefined();
    expect(await store.due.get(QUEUE, failing ?? '')).toEqual(new Date(T0.getTime() + MINUTE));
    expect(ctx.log.text()).toContain('due work failed; it comes back soon');
  });

  it('stops waiting for slow work, keeps it from a second start, and lets it write back when done', async () => {
    const store = await ctx.open({ now });
    const [member] = await seed(store, 1, T0);
    let finish: () => void = () => {};
    let starts = 0;
    const handler: DueHandler<string> = {
      async run(_item, at) {
        starts += 1;
        await new Promise<void>((resolve) => {
          finish = resolve;
        });
        return { report: 'finished', next: new Date(at.getTime() + WEEK) };
      },
      timedOut: (item) => `timed out: ${item.member}`,
    };
    const slow = new DueTicker<string>({
      store,
      queue: QUEUE,
      handler,
      logger: ctx.log.logger,
      now,
      itemTimeoutMs: 20,
      leaseMs: MINUTE,
      cronPattern: '* * * * *',
      summary: { message: 'test tick finished', fields: () => ({}) },
    });
    expect((await slow.tick()).reports).toEqual([`timed out: ${member}`]);
    // The lease ran out while the work still runs here: taken again, but not started twice.
    clock += 2 * MINUTE;
    expect((await slow.tick()).reports).toEqual([]);
    expect(starts).toBe(1);
    const stopped = slow.stop();
    finish();
    await stopped;
    expect(await store.due.get(QUEUE, member ?? '')).toEqual(new Date(T0.getTime() + WEEK));
  });
});

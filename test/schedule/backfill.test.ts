/**
 * The one-time fill of the due index for schedules saved before it existed, on each backend: one
 * replica lists the workspaces once, the others go on without waiting, and no later start lists
 * them again. A replica that dies holding the fill leaves it to whoever ticks after its claim ends.
 */
import { webApi } from '@slack/bolt';
import { createBillingClient } from '../../src/billing';
import { DigestRunner } from '../../src/digest/runner';
import { DigestScheduler } from '../../src/digest/scheduler';
import { DIGEST_QUEUE, DigestSchedules, digestMember } from '../../src/digest/schedules';
import { BACKFILL_QUEUE } from '../../src/schedule/backfill';
import type { Store, WorkspaceRef } from '../../src/store';
import { describeEachBackend, useBackend } from '../store/support';

const SUNDAY = new Date('2026-11-22T12:00:00Z');
const MONDAY_NINE = new Date('2026-11-23T09:00:00Z');
const refs: WorkspaceRef[] = Array.from({ length: 6 }, (_, index) => ({ teamId: `T0FILL${index}` }));

describeEachBackend('filling in the due index once', (backend) => {
  const ctx = useBackend(backend);
  let clock = SUNDAY.getTime();
  const now = () => new Date(clock);
  const closers: Array<() => void> = [];

  beforeEach(() => {
    clock = SUNDAY.getTime();
  });
  afterEach(() => {
    while (closers.length > 0) closers.pop()?.();
  });

  /** Schedules saved the way an older version of the app left them: records, and no due times. */
  async function olderStore(): Promise<Store> {
    const store = await ctx.open({ now });
    const schedules = new DigestSchedules(store, ctx.log.logger, now);
    for (const ref of refs) {
      await schedules.set(ref, {
        channelId: 'C0BILLING0',
        orgLabel: 'acme',
        weekday: 'mon',
        time: '09:00',
        timeZone: 'UTC',
        createdBy: 'U0ADAOWNER',
        createdAt: '2026-11-01T00:00:00.000Z',
      });
      await store.due.remove(DIGEST_QUEUE, digestMember(ref, 'C0BILLING0'));
    }
    return store;
  }

  function schedulerOn(store: Store, owner: string): { scheduler: DigestScheduler; lists: () => number } {
    let lists = 0;
    const listWorkspaces = store.workspaces.listWorkspaces.bind(store.workspaces);
    const counted: Store = {
      ...store,
      workspaces: Object.assign(Object.create(store.workspaces), {
        listWorkspaces: () => {
          lists += 1;
          return listWorkspaces();
        },
      }),
    };
    const billing = createBillingClient({ url: 'http://127.0.0.1:9', logger: ctx.log.logger });
    closers.push(() => billing.close());
    const runner = new DigestRunner({
      store: counted,
      billing,
      clientFor: async () => new webApi.WebClient('xoxb-unused', { slackApiUrl: 'http://127.0.0.1:9/api/' }),
      logger: ctx.log.logger,
      now,
    });
    return { scheduler: new DigestScheduler({ runner, logger: ctx.log.logger, now, owner }), lists: () => lists };
  }

  it('is done by one of two replicas ticking at once, and never listed again', async () => {
    const store = await olderStore();
    const second = await ctx.open({ now });
    const a = schedulerOn(store, 'replica-a');
    const b = schedulerOn(second, 'replica-b');
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    expect(a.lists() + b.lists()).toBe(1);
    for (const ref of refs) {
      expect(await store.due.get(DIGEST_QUEUE, digestMember(ref, 'C0BILLING0'))).toEqual(MONDAY_NINE);
    }
    // The one that was busy sees the marker at its next tick; a replica started later only reads it.
    await b.scheduler.tick();
    const later = schedulerOn(second, 'replica-c');
    await later.scheduler.tick();
    expect([a.lists(), b.lists(), later.lists()].reduce((sum, each) => sum + each)).toBe(1);
    expect(await store.due.get(BACKFILL_QUEUE, DIGEST_QUEUE)).toEqual(SUNDAY);

    // Monday 09:00: the filled-in digests come due like any others.
    expect(await store.due.take(DIGEST_QUEUE, MONDAY_NINE, 100, 60_000)).toHaveLength(refs.length);
  });

  it('is left to a later tick when the replica doing it died', async () => {
    const store = await olderStore();
    // A replica claimed the fill and died: its claim holds for a while, and no marker was written.
    await store.claims.claim(`${BACKFILL_QUEUE}:${DIGEST_QUEUE}`, 'dead-replica', 300);
    const survivor = schedulerOn(store, 'survivor');
    await survivor.scheduler.tick();
    expect(survivor.lists()).toBe(0);
    expect(await store.due.size(DIGEST_QUEUE)).toBe(0);

    // Redis ends a claim by its own clock, the SQL stores by the store's: both move on here.
    await new Promise((resolve) => setTimeout(resolve, 400));
    clock += 1_000;
    await survivor.scheduler.tick();
    expect(survivor.lists()).toBe(1);
    expect(await store.due.size(DIGEST_QUEUE)).toBe(refs.length);
  });
});

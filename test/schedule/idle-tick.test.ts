/**
 * What a tick with nothing due costs: it reads the due index and nothing else, however many
 * workspaces have schedules. Counted on a real store (every call into it, through a forwarding wrapper)
 * on each backend, and on Redis also as the commands the server received (MONITOR).
 */
import { createClient } from '@keyv/redis';
import { webApi } from '@slack/bolt';
import { createBillingClient } from '../../src/billing';
import { DigestRunner } from '../../src/digest/runner';
import { DigestScheduler } from '../../src/digest/scheduler';
import { DigestSchedules } from '../../src/digest/schedules';
import type { Store } from '../../src/store';
import { describeEachBackend, useBackend } from '../store/support';

const NOW = new Date('2026-11-22T12:00:00Z');
const WORKSPACES = 30;

/** The store with every call into its parts counted by name, e.g. `workspaces.listWorkspaces`. */
function countingStore(store: Store): { store: Store; calls: string[] } {
  const calls: string[] = [];
  const counted = <T extends object>(name: string, target: T): T =>
    new Proxy(target, {
      get(object, property, receiver) {
        const value = Reflect.get(object, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.push(`${name}.${String(property)}`);
          return value.apply(object, args);
        };
      },
    });
  return {
    calls,
    store: {
      ...store,
      workspaces: counted('workspaces', store.workspaces),
      claims: counted('claims', store.claims),
      due: counted('due', store.due),
      records: (type) => counted(`records:${type.kind}`, store.records(type)),
      logs: (type) => counted(`logs:${type.kind}`, store.logs(type)),
    },
  };
}

describeEachBackend('a tick with nothing due', (backend) => {
  const ctx = useBackend(backend);

  async function seededStore(): Promise<Store> {
    const store = await ctx.open({ now: () => NOW });
    const schedules = new DigestSchedules(store, ctx.log.logger, () => NOW);
    for (let index = 0; index < WORKSPACES; index++) {
      // Set up now, so each is first due on Monday.
      await schedules.set(
        { teamId: `T0IDLE${String(index).padStart(4, '0')}` },
        {
          channelId: 'C0BILLING0',
          orgLabel: 'acme',
          weekday: 'mon',
          time: '09:00',
          timeZone: 'Europe/Berlin',
          createdBy: 'U0ADAOWNER',
          createdAt: NOW.toISOString(),
        },
      );
    }
    return store;
  }

  function schedulerOn(store: Store): DigestScheduler {
    // Nothing is posted in these tests, so Viam and Slack are never reached.
    const billing = createBillingClient({ url: 'http://127.0.0.1:9', logger: ctx.log.logger });
    const runner = new DigestRunner({
      store,
      billing,
      clientFor: async () => new webApi.WebClient('xoxb-unused', { slackApiUrl: 'http://127.0.0.1:9/api/' }),
      logger: ctx.log.logger,
      now: () => NOW,
    });
    closers.push(async () => billing.close());
    return new DigestScheduler({ runner, logger: ctx.log.logger, now: () => NOW });
  }
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (closers.length > 0) await closers.pop()?.();
  });

  it('reads only the due index, once the first tick of the store has filled it in', async () => {
    const seeded = await seededStore();
    // The store's first tick (of any replica) lists the workspaces once and marks the fill done.
    const first = countingStore(seeded);
    expect((await schedulerOn(first.store).tick()).runs).toEqual([]);
    expect(first.calls.filter((call) => call === 'workspaces.listWorkspaces')).toHaveLength(1);

    // Later ticks, of that replica and of a freshly started one, take from the due index and stop there.
    first.calls.length = 0;
    const sameReplica = schedulerOn(first.store);
    await sameReplica.tick();
    first.calls.length = 0;
    await sameReplica.tick();
    expect(first.calls).toEqual(['due.take']);

    const restarted = countingStore(seeded);
    expect((await schedulerOn(restarted.store).tick()).runs).toEqual([]);
    expect(restarted.calls).toEqual(['due.get', 'due.take']);
    expect(await seeded.due.size('digest')).toBe(WORKSPACES);
  });

  if (backend.name === 'redis') {
    it('sends Redis two commands (the take a script reading by score), whatever the number of workspaces', async () => {
      const seeded = await seededStore();
      await schedulerOn(seeded).tick();
      const monitor = createClient({ url: process.env.REDIS_URL });
      await monitor.connect();
      const seen: string[] = [];
      await monitor.monitor((line) => {
        if (String(line).includes(ctx.namespace)) seen.push(String(line));
      });
      try {
        await schedulerOn(seeded).tick();
        // MONITOR reports commands as the server runs them; give the last one a moment to arrive.
        await new Promise((resolve) => setTimeout(resolve, 200));
      } finally {
        await monitor.close();
      }
      const commandOf = (line: string) => /"([a-zA-Z]+)"/.exec(line)?.[1]?.toLowerCase();
      const fromScripts = (line: string) => line.includes(' lua] ');
      // The fill's marker, then the take: a script that reads the due members by score and leases none.
      expect(seen.filter((line) => !fromScripts(line)).map(commandOf)).toEqual(['zscore', 'evalsha']);
      expect(seen.filter(fromScripts).map(commandOf)).toEqual(['zrange']);
    });
  }
});

/**
 * Two store instances on one backend, as two replicas would have: every change made through either
 * one survives, audit entries are all kept, and nothing outlives an uninstall that races updates.
 * SQLite always; Redis and PostgreSQL when REDIS_URL / DATABASE_URL are set.
 */
import { z } from 'zod';
import { AuditTrail } from '../../src/audit/trail';
import type { Store } from '../../src/store';
import { describeEachBackend, useBackend } from './support';

const TEAM = { teamId: 'T0RACE01' };

function users(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `U${prefix}${String(index).padStart(5, '0')}`);
}

/** A deterministic shuffle, so a failure can be rerun as it was. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let index = out.length - 1; index > 0; index--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const other = state % (index + 1);
    [out[index], out[other]] = [out[other] as T, out[index] as T];
  }
  return out;
}

const COUNTER = { kind: 'counter', version: 1, schema: z.object({ n: z.number().int() }) };

describeEachBackend('changes from two store instances', (backend) => {
  const ctx = useBackend(backend);

  it('ends 1,000 concurrent grants and revokes with exactly the expected access list', async () => {
    const [a, b] = [await ctx.open(), await ctx.open()];
    const removed = users('OLD', 250);
    const added = users('NEW', 250);
    for (const user of removed) await a.workspaces.grantViewer(TEAM, user);
    // Each user is granted or revoked twice, once through each instance, all at the same time.
    const operations = shuffled(
      [
        ...added.flatMap((user) => [
          (store: Store) => store.workspaces.grantViewer(TEAM, user),
          (store: Store) => store.workspaces.grantViewer(TEAM, user),
        ]),
        ...removed.flatMap((user) => [
          (store: Store) => store.workspaces.revokeViewer(TEAM, user),
          (store: Store) => store.workspaces.revokeViewer(TEAM, user),
        ]),
      ],
      7,
    );
    expect(operations).toHaveLength(1_000);
    await Promise.all(operations.map((operation, index) => operation(index % 2 === 0 ? a : b)));
    for (const store of [a, b]) {
      expect([...(await store.workspaces.get(TEAM)).viewers].sort()).toEqual([...added].sort());
    }
  }, 120_000);

  it('loses no increment of a record updated through both instances at once', async () => {
    const [a, b] = [await ctx.open(), await ctx.open()];
    const counters = [a.records(COUNTER), b.records(COUNTER)];
    await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        counters[index % 2]?.update(TEAM, 'hits', (current) => ({ n: (current?.n ?? 0) + 1 })),
      ),
    );
    expect(await counters[0]?.get(TEAM, 'hits')).toEqual({ n: 200 });
  }, 60_000);

  it('keeps every audit entry written through both instances at once', async () => {
    const [a, b] = [await ctx.open(), await ctx.open()];
    const trails = [new AuditTrail(a, () => new Date()), new AuditTrail(b, () => new Date())];
    const subjects = users('AUD', 150);
    await Promise.all(
      subjects.map((subject, index) =>
        trails[index % 2]?.record(TEAM, { action: 'access.granted', actor: 'U0ADMIN01', subject }),
      ),
    );
    const kept = await trails[0]?.latest(TEAM, 200);
    expect(kept).toHaveLength(150);
    expect(new Set(kept?.map((entry) => entry.subject))).toEqual(new Set(subjects));
  });

  it('leaves nothing of a workspace whose uninstall races updates through the other instance', async () => {
    const [a, b] = [await ctx.open(), await ctx.open()];
    const counter = b.records(COUNTER);
    const trail = new AuditTrail(b, () => new Date());
    const raw = await ctx.raw();
    for (let run = 0; run < 100; run++) {
      const ref = { teamId: `T0UNINST${String(run).padStart(3, '0')}` };
      await a.workspaces.grantViewer(ref, 'U0FIRST01');
      const racing = [
        b.workspaces.grantViewer(ref, 'U0LATE001'),
        counter.update(ref, 'hits', (current) => ({ n: (current?.n ?? 0) + 1 })),
        counter.set(ref, 'other', { n: 1 }),
        trail.record(ref, { action: 'access.granted', actor: 'U0ADMIN01', subject: 'U0LATE001' }),
        b.due.set('digests', counter.key(ref, 'due'), new Date()),
        b.claims.claim(counter.key(ref, 'claim'), 'replica-b', 60_000),
      ];
      const [outcomes] = await Promise.all([
        Promise.allSettled(racing),
        // Deleted while the updates are in flight on the other connection.
        new Promise((resolve) => setTimeout(resolve, run % 5)).then(() => a.workspaces.deleteWorkspace(ref)),
      ]);
      for (const outcome of outcomes) {
        // An update either landed before the uninstall (and went with it) or was refused as 'gone'.
        if (outcome.status === 'rejected') expect((outcome.reason as { kind?: string }).kind).toBe('gone');
      }
      const left = (await raw.entries()).filter((entry) => entry.key.includes(`:${ref.teamId}:`));
      expect(left).toEqual([]);
      expect(await b.workspaces.isDeleted(ref)).toBe(true);
    }
    const listed: string[] = [];
    for await (const ref of a.workspaces.listWorkspaces()) listed.push(ref.teamId);
    expect(listed.filter((team) => team.startsWith('T0UNINST'))).toEqual([]);
  }, 120_000);

  it('starts a reinstalled workspace clean and lets it store again', async () => {
    const [a, b] = [await ctx.open(), await ctx.open()];
    await a.workspaces.grantViewer(TEAM, 'U0FIRST01');
    await a.workspaces.deleteWorkspace(TEAM);
    await expect(b.workspaces.grantViewer(TEAM, 'U0LATE001')).rejects.toMatchObject({ kind: 'gone' });
    expect(await b.workspaces.reviveWorkspace(TEAM)).toBe(true);
    expect((await a.workspaces.get(TEAM)).viewers).toEqual([]);
    await b.workspaces.grantViewer(TEAM, 'U0AGAIN01');
    expect((await a.workspaces.get(TEAM)).viewers).toEqual(['U0AGAIN01']);
    expect(await a.workspaces.reviveWorkspace(TEAM)).toBe(false);
  });
});

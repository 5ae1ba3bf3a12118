/**
 * The engine primitives every backend gives the store: compare-and-set writes, the uninstall
 * tombstone, the workspace index, append-only logs and the due-time index. Each runs on SQLite, and
 * on Redis and PostgreSQL when REDIS_URL / DATABASE_URL are set. Two Kv instances on one backend
 * stand in for two replicas: each has its own connection, as two processes would.
 */
import { createClient } from '@keyv/redis';
import { silentLogger } from '../../../src/logger';
import { type Kv, openKv } from '../../../src/store/keyv';
import { parseStoreUrl } from '../../../src/store/store-url';
import { BACKENDS, type BackendUnderTest, tempDir, uniqueNamespace } from '../support';

const URLS: Record<string, string | undefined> = {
  sqlite: undefined,
  redis: process.env.REDIS_URL,
  postgres: process.env.DATABASE_URL,
};

function suiteFor(backend: BackendUnderTest) {
  const run = backend.skipReason ? describe.skip : describe;
  if (backend.skipReason) console.warn(`Skipping store primitives on ${backend.name}: ${backend.skipReason}.`);

  run(`store primitives (${backend.name})`, () => {
    let dir = '';
    let remove = async () => {};
    let namespace = '';
    const opened: Kv[] = [];
    const open = async () => {
      const kv = await openKv({ spec: parseStoreUrl(URLS[backend.name], dir), namespace, logger: silentLogger() });
      opened.push(kv);
      return kv;
    };

    beforeEach(async () => {
      ({ dir, remove } = await tempDir());
      namespace = uniqueNamespace();
    });
    afterEach(async () => {
      const raw = await backend.raw(dir, namespace);
      await raw.clear();
      await raw.close();
      while (opened.length > 0) await opened.pop()?.close();
      await remove();
    });

    it('writes only when the stored value is still the one expected', async () => {
      const kv = await open();
      expect(await kv.write('ws:T1:x', { n: 1 }, null)).toBe('written');
      expect(await kv.write('ws:T1:x', { n: 2 }, null)).toBe('conflict');
      const first = await kv.readRaw('ws:T1:x');
      expect(await kv.get('ws:T1:x')).toEqual({ n: 1 });
      expect(await kv.write('ws:T1:x', { n: 2 }, first)).toBe('written');
      // The value read before the last write is stale now.
      expect(await kv.write('ws:T1:x', { n: 3 }, first)).toBe('conflict');
      expect(await kv.write('ws:T1:x', null, first)).toBe('conflict');
      expect(await kv.get('ws:T1:x')).toEqual({ n: 2 });
      expect(await kv.write('ws:T1:x', null, await kv.readRaw('ws:T1:x'))).toBe('written');
      expect(await kv.get('ws:T1:x')).toBeUndefined();
      expect(await kv.write('meta:y', { plain: true })).toBe('written');
      expect(await kv.get('meta:y')).toEqual({ plain: true });
    });

    it('lets exactly one of many simultaneous writers of the same expected value win, across connections', async () => {
      const [a, b] = [await open(), await open()];
      await a.write('ws:T1:counter', { n: 0 });
      const base = await a.readRaw('ws:T1:counter');
      const outcomes = await Promise.all(
        Array.from({ length: 40 }, (_, index) =>
          (index % 2 === 0 ? a : b).write('ws:T1:counter', { n: index + 1 }, base),
        ),
      );
      expect(outcomes.filter((outcome) => outcome === 'written')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome === 'conflict')).toHaveLength(39);
    });

    it('refuses every write into a deleted workspace until it is revived, and leaves nothing of it', async () => {
      const [a, b] = [await open(), await open()];
      await a.write('ws:T1:record', { kept: false });
      expect(await a.claims.tryClaim('ws:T1:claim', claim(), 60_000, Date.now())).toBe(true);
      expect(await a.log.append('ws:T1:audit:log', '{"at":"x"}', 10)).toBe('written');
      expect(await a.due.set('digests', 'ws:T1:digest-schedule:C1', Date.now())).toBe('written');
      await a.write('ws:T2:record', { kept: true });

      expect(await b.deleteWorkspace('T1', Date.now())).toBe(4);
      expect(await a.isDeleted('T1')).toBe(true);
      expect(await a.write('ws:T1:record', { back: true })).toBe('gone');
      expect(await a.write('ws:T1:other', { back: true }, null)).toBe('gone');
      expect(await a.claims.tryClaim('ws:T1:claim2', claim(), 60_000, Date.now())).toBe(false);
      expect(await a.log.append('ws:T1:audit:log', '{"at":"y"}', 10)).toBe('gone');
      expect(await a.due.set('digests', 'ws:T1:digest-schedule:C1', Date.now())).toBe('gone');
      expect(await a.get('ws:T1:record')).toBeUndefined();
      expect(await a.listKeys('ws:T1:')).toEqual([]);
      expect(await a.log.latest('ws:T1:audit:log', 10)).toEqual([]);
      expect(await a.due.size('digests')).toBe(0);
      expect(await a.listWorkspaces(undefined, 10)).toEqual(['T2']);
      expect(await a.get('ws:T2:record')).toEqual({ kept: true });

      expect(await a.reviveWorkspace('T1')).toBe(true);
      expect(await a.write('ws:T1:record', { fresh: true })).toBe('written');
      expect(await a.listKeys('ws:T1:')).toEqual(['ws:T1:record']);
      expect(await a.listWorkspaces(undefined, 10)).toEqual(['T1', 'T2']);
    });

    it('lists workspaces a page at a time in byte order', async () => {
      const kv = await open();
      const names = ['T3', 'E1.T1', 'T1', 'T10', 'T2'];
      for (const name of names) await kv.write(`ws:${name}:workspace`, { name });
      await kv.write('meta:not-a-workspace', 1);
      expect(await kv.listWorkspaces(undefined, 2)).toEqual(['E1.T1', 'T1']);
      expect(await kv.listWorkspaces('T1', 2)).toEqual(['T10', 'T2']);
      expect(await kv.listWorkspaces('T2', 2)).toEqual(['T3']);
    });

    it('keeps every entry appended at once through two connections, up to the capacity', async () => {
      const [a, b] = [await open(), await open()];
      await Promise.all(
        Array.from({ length: 60 }, (_, index) =>
          (index % 2 === 0 ? a : b).log.append('ws:T1:audit:log', `e${index}`, 100),
        ),
      );
      const all = await a.log.latest('ws:T1:audit:log', 100);
      expect(all).toHaveLength(60);
      expect(new Set(all)).toEqual(new Set(Array.from({ length: 60 }, (_, index) => `e${index}`)));
      for (let index = 0; index < 10; index++) await a.log.append('ws:T1:short:log', `s${index}`, 3);
      expect(await a.log.latest('ws:T1:short:log', 10)).toEqual(['s9', 's8', 's7']);
    });

    it('hands each due member to one taker, earliest first, and gives it back when the lease ends', async () => {
      const [a, b] = [await open(), await open()];
      const now = 1_800_000_000_000;
      for (let index = 0; index < 200; index++) {
        await a.due.set('digests', `ws:T${index}:digest-schedule:C1`, now - 1_000 * (index % 50));
      }
      await a.due.set('digests', 'ws:T999:digest-schedule:C1', now + 60_000);
      const takers = await Promise.all(
        Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? a : b).due.take('digests', now, 15, 30_000)),
      );
      const taken = takers.flat().map((entry) => entry.member);
      expect(taken).toHaveLength(200);
      expect(new Set(taken).size).toBe(200);
      expect(taken).not.toContain('ws:T999:digest-schedule:C1');
      for (const batch of takers) {
        const times = batch.map((entry) => entry.dueAtMs);
        expect(times).toEqual([...times].sort((x, y) => x - y));
      }
      expect(await a.due.take('digests', now + 29_000, 500, 30_000)).toEqual([]);
      expect(await a.due.get('digests', 'ws:T0:digest-schedule:C1')).toBe(now + 30_000);
      const back = await b.due.take('digests', now + 30_000, 500, 30_000);
      expect(back).toHaveLength(200);
      expect(await a.due.remove('digests', 'ws:T0:digest-schedule:C1')).toBe(true);
      expect(await a.due.remove('digests', 'ws:T0:digest-schedule:C1')).toBe(false);
      expect(await a.due.size('digests')).toBe(200);
    });

    if (backend.name === 'postgres') {
      it('serves prefix listings, workspace listing and due work from indexes', async () => {
        await open();
        const { Pool } = require('pg') as {
          Pool: new (config: {
            connectionString: string;
            max: number;
          }) => {
            connect(): Promise<{
              query(sql: string, values?: unknown[]): Promise<{ rows: Array<Record<string, string>> }>;
              release(): void;
            }>;
            end(): Promise<void>;
          };
        };
        const pool = new Pool({ connectionString: URLS.postgres as string, max: 1 });
        const client = await pool.connect();
        try {
          // With sequential scans priced out, a plan that still scans means no index can serve the query.
          await client.query('SET enable_seqscan = off');
          const plan = async (sql: string, values: unknown[]) =>
            (await client.query(`EXPLAIN ${sql}`, values)).rows.map((row) => row['QUERY PLAN']).join('\n');
          const queries: Array<[string, unknown[]]> = [
            [
              `SELECT key FROM public.viam_billing_kv WHERE (key COLLATE "C") >= $1 AND (key COLLATE "C") < $2`,
              ['a', 'b'],
            ],
            [
              `SELECT key FROM public.viam_billing_claims WHERE (key COLLATE "C") >= $1 AND (key COLLATE "C") < $2`,
              ['a', 'b'],
            ],
            [
              `SELECT name FROM public.viam_billing_workspaces WHERE name > $1 AND name < $2 ORDER BY name LIMIT 5`,
              ['a', 'b'],
            ],
            [
              `SELECT member FROM public.viam_billing_due WHERE queue = $1 AND due_at <= $2 ORDER BY due_at LIMIT 5`,
              ['q', 1],
            ],
            [`SELECT 1 FROM public.viam_billing_due WHERE member >= $1 AND member < $2`, ['a', 'b']],
            [`SELECT entry FROM public.viam_billing_log WHERE key = $1 ORDER BY id DESC LIMIT 5`, ['a']],
          ];
          for (const [sql, values] of queries) {
            const text = await plan(sql, values);
            expect(text).toMatch(/Index (Only )?Scan|Bitmap Index Scan/);
            expect(text).not.toMatch(/Seq Scan/);
          }
        } finally {
          client.release();
          await pool.end();
        }
      });
    }

    if (backend.name === 'redis') {
      it('lists and deletes a workspace without scanning the keyspace', async () => {
        const kv = await open();
        for (let index = 0; index < 20; index++) await kv.write(`ws:T${index}:workspace`, { index });
        await kv.write('ws:T1:digest-schedule:C1', { a: 1 });
        const probe = createClient({ url: URLS.redis as string });
        await probe.connect();
        try {
          const scans = async () => {
            const stats = String(await probe.sendCommand(['INFO', 'commandstats']));
            return Number(/cmdstat_scan:calls=(\d+)/.exec(stats)?.[1] ?? 0);
          };
          const before = await scans();
          expect((await kv.listKeys('ws:T1:')).sort()).toEqual(['ws:T1:digest-schedule:C1', 'ws:T1:workspace']);
          expect(await kv.listWorkspaces(undefined, 100)).toHaveLength(20);
          expect(await kv.deleteWorkspace('T1', Date.now())).toBe(2);
          expect(await kv.due.take('digests', Date.now(), 10, 1_000)).toEqual([]);
          expect(await scans()).toBe(before);
        } finally {
          await probe.close();
        }
      });
    }
  });
}

function claim() {
  const now = Date.now();
  return { owner: 'replica-a', claimedAtMs: now, expiresAtMs: now + 60_000 };
}

for (const backend of BACKENDS) suiteFor(backend);

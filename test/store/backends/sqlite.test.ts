import path from 'node:path';
import sqlite3 from 'sqlite3';
import type { KeyvCodec } from '../../../src/store/backends/shared';
import { openSqliteDriver, PREFIX_MATCH, prefixBounds } from '../../../src/store/backends/sqlite';
import { tempDir } from '../support';

/** Plain JSON both ways; these tests only look at keys. */
const CODEC: KeyvCodec = {
  serialize: JSON.stringify as KeyvCodec['serialize'],
  deserialize: JSON.parse as KeyvCodec['deserialize'],
};

describe('prefixBounds', () => {
  it('raises the last character, so the range ends right after the last key with the prefix', () => {
    expect(prefixBounds('ns:ws:T1:')).toEqual(['ns:ws:T1:', 'ns:ws:T1;']);
  });

  it('raises an earlier character when the last one cannot be raised', () => {
    expect(prefixBounds('a\uffff')).toEqual(['a\uffff', 'b']);
    expect(prefixBounds('a\ud83d\ude00')).toEqual(['a\ud83d\ude00', 'b']);
  });

  it('falls back to the top of Unicode when no character can be raised', () => {
    expect(prefixBounds('')).toEqual(['', String.fromCodePoint(0x10ffff)]);
  });
});

describe('SQLite prefix scans', () => {
  let dir = '';
  let remove = async () => {};
  beforeEach(async () => {
    ({ dir, remove } = await tempDir());
  });
  afterEach(() => remove());

  it('list and delete exactly the keys under a prefix, not a longer team ID nor the next character', async () => {
    const driver = await openSqliteDriver({
      file: path.join(dir, 'store.sqlite'),
      namespace: 'ns',
      codec: CODEC,
      onError: () => undefined,
    });
    try {
      const keys = ['ws:T1:a', 'ws:T1:b:c', 'ws:T12:a', 'ws:T1;', 'ws:T1', 'ws:T0:z', 'ws:t1:a', 'ws:T1:\uffff'];
      for (const key of keys) await driver.write(key, '{"value":1}');
      expect((await driver.listKeys('ws:T1:')).sort()).toEqual(['ws:T1:a', 'ws:T1:b:c', 'ws:T1:\uffff']);
      expect((await driver.listKeys('ws:T1:\uffff')).sort()).toEqual(['ws:T1:\uffff']);
      expect(await driver.deleteWorkspace('T1', Date.now())).toBe(3);
      expect((await driver.listKeys('ws:')).sort()).toEqual(['ws:T0:z', 'ws:T1', 'ws:T12:a', 'ws:T1;', 'ws:t1:a']);
    } finally {
      await driver.close();
    }
  });

  it('walks the key index instead of scanning the table', async () => {
    const file = path.join(dir, 'store.sqlite');
    const driver = await openSqliteDriver({ file, namespace: 'ns', codec: CODEC, onError: () => undefined });
    await driver.close();
    const db = new sqlite3.Database(file);
    try {
      for (const table of ['viam_billing_kv', 'viam_billing_claims', 'viam_billing_log']) {
        const plan = await new Promise<Array<{ detail: string }>>((resolve, reject) =>
          db.all(
            `EXPLAIN QUERY PLAN SELECT key FROM ${table} WHERE ${PREFIX_MATCH}`,
            ...prefixBounds('ns:ws:T1:'),
            (error: Error | null, rows: Array<{ detail: string }>) => (error ? reject(error) : resolve(rows)),
          ),
        );
        expect(plan.map((row) => row.detail).join('\n')).toMatch(
          /SEARCH .* USING (COVERING )?INDEX .*key>\? AND key<\?/,
        );
      }
      const duePlan = await new Promise<Array<{ detail: string }>>((resolve, reject) =>
        db.all(
          'EXPLAIN QUERY PLAN SELECT rowid FROM viam_billing_due WHERE queue = ?1 AND due_at <= ?2 ORDER BY due_at LIMIT ?3',
          ['ns:digests', Date.now(), 100],
          (error: Error | null, rows: Array<{ detail: string }>) => (error ? reject(error) : resolve(rows)),
        ),
      );
      // The due-time index gives both the range and the order: no scan, no temporary sort.
      const detail = duePlan.map((row) => row.detail).join('\n');
      expect(detail).toMatch(
        /SEARCH viam_billing_due USING (COVERING )?INDEX viam_billing_due_by_time \(queue=\? AND due_at<\?\)/,
      );
      expect(detail).not.toMatch(/TEMP B-TREE/);
    } finally {
      await new Promise((resolve) => db.close(resolve));
    }
  });
});

describe('opening one new file from several places at once', () => {
  it('waits out the moment the file is locked instead of failing to start', async () => {
    // Without the retry about one open in 200 met SQLITE_BUSY here; 120 opens make a failure likely.
    for (let round = 0; round < 20; round++) {
      const { dir, remove } = await tempDir();
      try {
        const file = path.join(dir, 'store.sqlite');
        const opened = await Promise.allSettled(
          Array.from({ length: 6 }, () =>
            openSqliteDriver({ file, namespace: 'ns', codec: CODEC, onError: () => undefined }),
          ),
        );
        expect(opened.filter((result) => result.status === 'rejected')).toEqual([]);
        for (const result of opened) if (result.status === 'fulfilled') await result.value.close();
      } finally {
        await remove();
      }
    }
  }, 30_000);
});

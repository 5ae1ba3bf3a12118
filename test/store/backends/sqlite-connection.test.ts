import path from 'node:path';
import sqlite3 from 'sqlite3';
import { openSqliteConnection, type SqliteConnection } from '../../../src/store/backends/sqlite-connection';
import { tempDir } from '../support';

describe('openSqliteConnection', () => {
  let dir = '';
  let remove = async () => {};
  let connection: SqliteConnection | undefined;
  beforeEach(async () => {
    ({ dir, remove } = await tempDir());
  });
  afterEach(async () => {
    await connection?.close().catch(() => undefined);
    connection = undefined;
    await remove();
  });

  const open = async () => {
    connection = await openSqliteConnection(path.join(dir, 'store.sqlite'), 5_000);
    return connection;
  };

  it('answers each of many concurrent runs of one kept statement with its own parameters', async () => {
    const db = await open();
    await db.query('CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)');
    await Promise.all(
      Array.from({ length: 200 }, (_, k) => db.query('INSERT INTO t (k, v) VALUES (?1, ?2)', k, `v${k}`)),
    );
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, k) => db.query('SELECT v FROM t WHERE k = ?1', k)),
    );
    expect(answers.map((rows) => rows[0]?.v)).toEqual(Array.from({ length: 200 }, (_, k) => `v${k}`));
    // Rebinding resets: a key with no row answers nothing, not the previous call's row.
    expect(await db.query('SELECT v FROM t WHERE k = ?1', 999)).toEqual([]);
    expect(await db.query('SELECT count(*) AS n FROM t')).toEqual([{ n: 200 }]);
  });

  it('prepares a text again after it failed, once what it needs exists', async () => {
    const db = await open();
    await expect(db.query('SELECT v FROM later WHERE k = ?1', 1)).rejects.toMatchObject({ code: 'SQLITE_ERROR' });
    await db.query('CREATE TABLE later (k INTEGER PRIMARY KEY, v TEXT)');
    await db.query("INSERT INTO later (k, v) VALUES (1, 'one')");
    expect(await db.query('SELECT v FROM later WHERE k = ?1', 1)).toEqual([{ v: 'one' }]);
  });

  it('sees a table another connection changed under a kept statement', async () => {
    const file = path.join(dir, 'store.sqlite');
    const db = await open();
    await db.query('CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)');
    expect(await db.query('SELECT * FROM t WHERE k = ?1', 1)).toEqual([]);
    const other = new sqlite3.Database(file);
    await new Promise<void>((resolve, reject) =>
      other.exec("ALTER TABLE t ADD COLUMN w TEXT; INSERT INTO t VALUES (1, 'a', 'b')", (error) =>
        error ? reject(error) : resolve(),
      ),
    );
    await new Promise<void>((resolve) => other.close(() => resolve()));
    expect(await db.query('SELECT * FROM t WHERE k = ?1', 1)).toEqual([{ k: 1, v: 'a', w: 'b' }]);
  });

  it('keeps working past the number of statements it keeps, and closes cleanly', async () => {
    const db = await open();
    const texts = Array.from({ length: 300 }, (_, n) => `SELECT ${n} AS n`);
    for (const text of texts) await db.query(text);
    expect(await db.query(texts[0] as string)).toEqual([{ n: 0 }]);
    expect(await db.query(texts[299] as string)).toEqual([{ n: 299 }]);
    await db.close();
    connection = undefined;
    await expect(db.query('SELECT 1')).rejects.toThrow();
  });
});

import sqlite3 from 'sqlite3';

export type SqliteQuery = (sql: string, ...params: unknown[]) => Promise<Array<Record<string, unknown>>>;

export interface SqliteConnection {
  /** Runs one statement and resolves to its rows (none for a write without RETURNING). */
  query: SqliteQuery;
  /** Finalizes the kept statements, then closes the database. */
  close(): Promise<void>;
}

/** More distinct statements than the app has; past it the oldest is let go, so odd SQL cannot grow the cache. */
const MAX_KEPT_STATEMENTS = 256;

/**
 * One node-sqlite3 connection that keeps each statement prepared. `Database#all` prepares, runs and
 * finalizes a new statement per call: three trips through libuv's thread pool and a fresh native
 * object each time, which the due-minute profile showed as the replicas' largest cost. The app's SQL
 * is a small fixed set of texts, so each is prepared once and then only bound and run (one trip).
 *
 * node-sqlite3 queues calls on one statement, so concurrent queries of the same text take turns on
 * it; different texts still run side by side. Binding resets a statement before it runs again.
 */
export async function openSqliteConnection(file: string, busyTimeoutMs: number): Promise<SqliteConnection> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const opened = new sqlite3.Database(file, (error) => (error ? reject(error) : resolve(opened)));
  });
  db.configure('busyTimeout', busyTimeoutMs);
  const kept = new Map<string, Promise<sqlite3.Statement>>();

  const statementFor = (sql: string): Promise<sqlite3.Statement> => {
    const existing = kept.get(sql);
    if (existing) return existing;
    const prepared = new Promise<sqlite3.Statement>((resolve, reject) => {
      const statement = db.prepare(sql, (error) => (error ? reject(error) : resolve(statement)));
    });
    kept.set(sql, prepared);
    // A text that does not prepare (a typo, a table not there yet) is prepared afresh next time.
    prepared.catch(() => {
      if (kept.get(sql) === prepared) kept.delete(sql);
    });
    if (kept.size > MAX_KEPT_STATEMENTS) {
      const [oldestSql, oldest] = kept.entries().next().value as [string, Promise<sqlite3.Statement>];
      kept.delete(oldestSql);
      void oldest.then(finalize, () => undefined);
    }
    return prepared;
  };

  return {
    async query(sql, ...params) {
      const statement = await statementFor(sql);
      return new Promise((resolve, reject) => {
        statement.all(...params, (error: Error | null, rows: Array<Record<string, unknown>>) =>
          error ? reject(error) : resolve(rows),
        );
      });
    },
    async close() {
      const statements = await Promise.allSettled([...kept.values()]);
      kept.clear();
      for (const settled of statements) if (settled.status === 'fulfilled') await finalize(settled.value);
      await new Promise<void>((resolve, reject) => db.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function finalize(statement: sqlite3.Statement): Promise<void> {
  return new Promise((resolve) => statement.finalize(() => resolve()));
}

/**
 * Writes captured batches straight into a backend in exactly the layout its driver keeps
 * (src/store/backends/*.ts), with the engine's own bulk paths: one SQLite transaction of prepared
 * inserts, PostgreSQL multi-row inserts from arrays, a Redis pipeline. Seeding 100,000 workspaces
 * through the store's compare-and-set calls would take tens of minutes on two cores; this takes a
 * minute or two. What it writes is read back through the real store before anything is measured
 * (see verify.ts), and the replicas then serve it.
 */
import { createClient } from '@keyv/redis';
import { Pool } from 'pg';
import sqlite3 from 'sqlite3';
import {
  DUE_TABLE,
  KV_TABLE,
  LOG_TABLE,
  physicalKey,
  WORKSPACES_TABLE,
  workspaceOfKey,
} from '../../../src/store/backends/shared';
import type { CapturedBatch } from './memory-kv';

/** The client type as our calls build it (createClient's default type parameters differ). */
function newRedisClient(url: string) {
  return createClient({ url });
}
type RedisClient = ReturnType<typeof newRedisClient>;

export interface BulkLoader {
  load(batch: CapturedBatch): Promise<void>;
  close(): Promise<void>;
}

export type LoaderTarget =
  | { kind: 'sqlite'; file: string }
  | { kind: 'redis'; url: string }
  | { kind: 'postgres'; url: string };

export async function openLoader(target: LoaderTarget, namespace: string): Promise<BulkLoader> {
  switch (target.kind) {
    case 'sqlite':
      return SqliteLoader.open(target.file, namespace);
    case 'redis':
      return RedisLoader.open(target.url, namespace);
    case 'postgres':
      return new PostgresLoader(target.url, namespace);
  }
}

/** Rows of a batch in physical form, shared by the two SQL loaders. */
function sqlRows(batch: CapturedBatch, namespace: string) {
  const full = (key: string) => physicalKey(namespace, key);
  const logs: Array<[string, string]> = [];
  for (const [key, entries] of batch.logs) for (const entry of entries) logs.push([full(key), entry]);
  const due: Array<[string, string, number]> = [];
  for (const [queue, members] of batch.due)
    for (const [member, at] of members) due.push([full(queue), full(member), at]);
  return {
    records: [...batch.records].map(([key, raw]) => [full(key), raw] as [string, string]),
    workspaces: [...batch.workspaces].map(full),
    logs,
    due,
  };
}

class SqliteLoader implements BulkLoader {
  private constructor(
    private readonly db: sqlite3.Database,
    private readonly namespace: string,
  ) {}

  static async open(file: string, namespace: string): Promise<SqliteLoader> {
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const opened = new sqlite3.Database(file, (error) => (error ? reject(error) : resolve(opened)));
    });
    db.configure('busyTimeout', 30_000);
    return new SqliteLoader(db, namespace);
  }

  private run(sql: string, params: unknown[] = []): Promise<void> {
    return new Promise((resolve, reject) => this.db.run(sql, params, (error) => (error ? reject(error) : resolve())));
  }

  async load(batch: CapturedBatch): Promise<void> {
    const rows = sqlRows(batch, this.namespace);
    await this.run('BEGIN IMMEDIATE');
    try {
      // The same statements the driver runs, without its per-write tombstone checks (nothing is deleted here).
      await this.each(
        `INSERT INTO ${KV_TABLE} (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        rows.records,
      );
      await this.each(
        `INSERT INTO ${WORKSPACES_TABLE} (name) VALUES (?1) ON CONFLICT (name) DO NOTHING`,
        rows.workspaces.map((name) => [name]),
      );
      await this.each(`INSERT INTO ${LOG_TABLE} (key, entry) VALUES (?1, ?2)`, rows.logs);
      await this.each(
        `INSERT INTO ${DUE_TABLE} (queue, member, due_at) VALUES (?1, ?2, ?3) ON CONFLICT (queue, member) DO UPDATE SET due_at = excluded.due_at`,
        rows.due,
      );
      await this.run('COMMIT');
    } catch (error) {
      await this.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** One prepared statement for all rows; sqlite3 queues the runs in order, so they are awaited together. */
  private async each(sql: string, rows: readonly unknown[][]): Promise<void> {
    if (rows.length === 0) return;
    const statement = this.db.prepare(sql);
    try {
      await Promise.all(
        rows.map(
          (row) =>
            new Promise<void>((resolve, reject) =>
              statement.run(row, (error: Error | null) => (error ? reject(error) : resolve())),
            ),
        ),
      );
    } finally {
      await new Promise<void>((resolve) => statement.finalize(() => resolve()));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.db.close(() => resolve()));
  }
}

/** PostgreSQL binds at most 65,535 parameters; arrays keep each statement to a few, whatever its row count. */
const PG_ROWS_PER_STATEMENT = 5_000;

class PostgresLoader implements BulkLoader {
  private readonly pool: Pool;

  constructor(
    url: string,
    private readonly namespace: string,
  ) {
    this.pool = new Pool({ connectionString: url, max: 2 });
  }

  async load(batch: CapturedBatch): Promise<void> {
    const rows = sqlRows(batch, this.namespace);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      for (const chunk of chunks(rows.records)) {
        await client.query(
          `INSERT INTO public.${KV_TABLE} (key, value) SELECT * FROM unnest($1::text[], $2::text[])
           ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
          columns(chunk, 2),
        );
      }
      for (const chunk of chunks(rows.workspaces.map((name) => [name]))) {
        await client.query(
          `INSERT INTO public.${WORKSPACES_TABLE} (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING`,
          columns(chunk, 1),
        );
      }
      for (const chunk of chunks(rows.logs)) {
        // WITH ORDINALITY keeps each log's entries in order, so their ids (the log's order) ascend as appended.
        await client.query(
          `INSERT INTO public.${LOG_TABLE} (key, entry)
           SELECT key, entry FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(key, entry, n) ORDER BY n`,
          columns(chunk, 2),
        );
      }
      for (const chunk of chunks(rows.due)) {
        await client.query(
          `INSERT INTO public.${DUE_TABLE} (queue, member, due_at) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
           ON CONFLICT (queue, member) DO UPDATE SET due_at = EXCLUDED.due_at`,
          columns(chunk, 3),
        );
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

function* chunks<T>(rows: readonly T[]): Generator<T[]> {
  for (let start = 0; start < rows.length; start += PG_ROWS_PER_STATEMENT) {
    yield rows.slice(start, start + PG_ROWS_PER_STATEMENT);
  }
}

function columns(rows: readonly unknown[][], count: number): unknown[][] {
  return Array.from({ length: count }, (_, column) => rows.map((row) => row[column]));
}

/** Commands per pipeline round trip. */
const REDIS_PIPELINE = 5_000;

/**
 * The Redis driver's layout (its header comment): the record at its key, the workspace's key index
 * `~keys:<wk>`, the registry `~workspaces`, logs as lists `~log:<key>` named in `~owned:<wk>`, due
 * members in `~due:<queue>` also named in `~owned:<wk>`.
 */
class RedisLoader implements BulkLoader {
  private constructor(
    private readonly client: RedisClient,
    private readonly namespace: string,
  ) {}

  static async open(url: string, namespace: string): Promise<RedisLoader> {
    const client = newRedisClient(url);
    client.on('error', () => undefined);
    await client.connect();
    return new RedisLoader(client, namespace);
  }

  async load(batch: CapturedBatch): Promise<void> {
    const full = (key: string) => physicalKey(this.namespace, key);
    const ours = (name: string) => full(`~${name}`);
    const commands: string[][] = [];
    for (const [key, raw] of batch.records) {
      commands.push(['SET', full(key), raw]);
      const workspace = workspaceOfKey(key);
      if (workspace !== undefined) commands.push(['ZADD', ours(`keys:${workspace}`), '0', key]);
    }
    for (const [key, entries] of batch.logs) {
      const list = ours(`log:${key}`);
      commands.push(['RPUSH', list, ...entries]);
      const workspace = workspaceOfKey(key);
      if (workspace !== undefined) commands.push(['SADD', ours(`owned:${workspace}`), `L${list}`]);
    }
    for (const [queue, members] of batch.due) {
      const set = ours(`due:${queue}`);
      for (const [member, at] of members) {
        commands.push(['ZADD', set, String(at), member]);
        const workspace = workspaceOfKey(member);
        if (workspace !== undefined) commands.push(['SADD', ours(`owned:${workspace}`), `D${set} ${member}`]);
      }
    }
    for (const workspace of batch.workspaces) commands.push(['ZADD', ours('workspaces'), '0', workspace]);
    for (let start = 0; start < commands.length; start += REDIS_PIPELINE) {
      const pipeline = this.client.multi();
      for (const command of commands.slice(start, start + REDIS_PIPELINE)) pipeline.addCommand(command);
      await pipeline.execAsPipeline();
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

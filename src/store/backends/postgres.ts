import { createHash } from 'node:crypto';
import KeyvPostgres from '@keyv/postgres';
import Keyv from 'keyv';
import type { BackendDriver, ClaimDriver, DueDriver, LogDriver, StoredClaim, WriteOutcome } from './driver';
import {
  CLAIMS_TABLE,
  claimFromRow,
  DUE_TABLE,
  dueEntriesFromRows,
  type KeyvCodec,
  KV_TABLE,
  LOG_TABLE,
  physicalKey,
  prefixBounds,
  stripNamespace,
  WORKSPACES_TABLE,
  workspaceKeyPrefix,
  workspaceOfKey,
} from './shared';

// Keyv's adapter always qualifies its table with the schema (`public` by default); ours match it.
const KV = `public.${KV_TABLE}`;
const CLAIMS = `public.${CLAIMS_TABLE}`;
const WORKSPACES = `public.${WORKSPACES_TABLE}`;
const LOG = `public.${LOG_TABLE}`;
const DUE = `public.${DUE_TABLE}`;

type Rows = Array<Record<string, unknown>>;
type Query = (sql: string, values?: unknown[]) => Promise<Rows>;

/** The parts of pg's Pool and its clients we use. */
interface PgQueryConfig {
  name: string;
  text: string;
  values?: unknown[];
}
interface PgClient {
  query(sql: string, values?: unknown[]): Promise<{ rows: Rows }>;
  release(error?: Error): void;
}
interface PgPool {
  query(sql: string, values?: unknown[]): Promise<{ rows: Rows }>;
  query(config: PgQueryConfig): Promise<{ rows: Rows }>;
  connect(): Promise<PgClient>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}
interface PgPoolConfig {
  connectionString: string;
  max: number;
  connectionTimeoutMillis: number;
  idleTimeoutMillis: number;
  query_timeout: number;
}

/**
 * pg is @keyv/postgres's own driver. We build the pool ourselves because the adapter keeps a single
 * module-wide pool: closing one store would end every other store's pool in the process, and a second
 * URL would leak the first pool.
 */
function createPool(url: string): PgPool {
  const { Pool } = require('pg') as { Pool: new (config: PgPoolConfig) => PgPool };
  return new Pool({
    connectionString: url,
    max: 8,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    query_timeout: 15_000,
  });
}

/** Errors Postgres raises when two processes run the same CREATE … IF NOT EXISTS at once. */
const CONCURRENT_CREATE_CODES = new Set(['23505', '42P07']);

/**
 * Our tables beside Keyv's. Text we range over is compared in the "C" collation (byte order), so a
 * B-tree serves prefix ranges whatever the database's collation; Keyv's and the claims table's key
 * columns predate that and get a "C" expression index instead.
 */
const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS ${CLAIMS} (key TEXT PRIMARY KEY, owner TEXT NOT NULL, claimed_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)`,
  // Keyv's adapter creates its table too, but reports failure only as an event; doing it first surfaces errors here.
  `CREATE TABLE IF NOT EXISTS ${KV} (key VARCHAR(255) PRIMARY KEY, value TEXT)`,
  `CREATE INDEX IF NOT EXISTS ${KV_TABLE}_key_bytes ON ${KV} ((key COLLATE "C"))`,
  `CREATE INDEX IF NOT EXISTS ${CLAIMS_TABLE}_key_bytes ON ${CLAIMS} ((key COLLATE "C"))`,
  `CREATE TABLE IF NOT EXISTS ${WORKSPACES} (name TEXT COLLATE "C" PRIMARY KEY, deleted_at BIGINT)`,
  `CREATE TABLE IF NOT EXISTS ${LOG} (id BIGSERIAL PRIMARY KEY, key TEXT COLLATE "C" NOT NULL, entry TEXT NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS ${LOG_TABLE}_by_key ON ${LOG} (key, id)`,
  `CREATE TABLE IF NOT EXISTS ${DUE} (queue TEXT COLLATE "C" NOT NULL, member TEXT COLLATE "C" NOT NULL, due_at BIGINT NOT NULL, previous_due_at BIGINT, PRIMARY KEY (queue, member))`,
  `CREATE INDEX IF NOT EXISTS ${DUE_TABLE}_by_time ON ${DUE} (queue, due_at)`,
  `CREATE INDEX IF NOT EXISTS ${DUE_TABLE}_by_member ON ${DUE} (member)`,
];

/** `key` in byte order, matching the "C" expression indexes. */
const KEY_RANGE = `(key COLLATE "C") >= $1 AND (key COLLATE "C") < $2`;

/**
 * The workspace's row, locked for this statement: registers the workspace and yields a row only while
 * it is not tombstoned. ON CONFLICT DO UPDATE locks the existing row even when its WHERE is false, and
 * judges the WHERE on the newest committed version, so a write waits for an uninstall in progress and
 * then sees its tombstone, while an uninstall waits for the writes in progress and then deletes them.
 */
const LIVE = (param: string) =>
  `live AS (INSERT INTO ${WORKSPACES} AS w (name) VALUES (${param}) ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name WHERE w.deleted_at IS NULL RETURNING 1)`;

/**
 * Atomicity: each write below is one statement. Its compare (the expected value, an expired claim) is
 * re-checked by PostgreSQL on the newest row version once a concurrent writer commits (READ COMMITTED's
 * rule for UPDATE and ON CONFLICT), so a lost update is impossible; writes into a workspace also hold
 * the workspace's row lock (LIVE) for their statement, which orders them against an uninstall.
 */
export async function openPostgresDriver(options: {
  url: string;
  namespace: string;
  codec: KeyvCodec;
  onError: (error: unknown) => void;
}): Promise<BackendDriver> {
  const { namespace } = options;
  const pool = createPool(options.url);
  // An idle client losing its connection is reported here; without a listener it would crash the process.
  pool.on('error', options.onError);
  const once: Query = async (sql, values) => (await pool.query(sql, values)).rows;
  const query = namedStatements(pool);

  try {
    await once('SELECT 1');
    for (const statement of SCHEMA) await createOnce(once, statement);
    await backfillWorkspaces(once, namespace);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }

  const adapter = adapterOverPool(query);
  adapter.on('error', options.onError);
  const keyv = new Keyv<unknown>({ store: adapter, namespace, throwOnErrors: true, ...options.codec });
  const full = (key: string) => physicalKey(namespace, key);
  const workspaceName = (key: string) => {
    const workspace = workspaceOfKey(key);
    return workspace === undefined ? undefined : full(workspace);
  };

  /**
   * Runs `statement` (which must return `written`) inside the workspace guard when the key belongs to a
   * workspace; its parameters start at $2 there ($1 is the workspace), at $1 otherwise.
   */
  async function guarded(key: string, statement: (p: (n: number) => string) => string, values: unknown[]) {
    const name = workspaceName(key);
    if (name === undefined) {
      const rows = await query(
        `WITH done AS (${statement((n) => `$${n}`)}) SELECT 1 AS live, count(*) AS written FROM done`,
        values,
      );
      return outcomeOf(rows);
    }
    const rows = await query(
      `WITH ${LIVE('$1')}, done AS (${statement((n) => `$${n + 1}`)}) SELECT (SELECT count(*) FROM live) AS live, (SELECT count(*) FROM done) AS written`,
      [name, ...values],
    );
    return outcomeOf(rows);
  }
  const ifLive = (key: string) => (workspaceName(key) === undefined ? '' : ' AND EXISTS (SELECT 1 FROM live)');

  async function write(key: string, next: string | null, expected?: string | null): Promise<WriteOutcome> {
    const k = full(key);
    if (next === null) {
      // Deleting needs no guard: it cannot bring anything back.
      if (expected === null)
        return (await query(`SELECT 1 FROM ${KV} WHERE key = $1`, [k])).length === 0 ? 'written' : 'conflict';
      if (expected === undefined) {
        await query(`DELETE FROM ${KV} WHERE key = $1`, [k]);
        return 'written';
      }
      const rows = await query(`DELETE FROM ${KV} WHERE key = $1 AND value = $2 RETURNING key`, [k, expected]);
      return rows.length === 1 ? 'written' : 'conflict';
    }
    const live = ifLive(key);
    if (expected === undefined) {
      return guarded(
        key,
        (p) =>
          `INSERT INTO ${KV} (key, value) SELECT ${p(1)}, ${p(2)} WHERE true${live} ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value RETURNING 1`,
        [k, next],
      );
    }
    if (expected === null) {
      return guarded(
        key,
        (p) =>
          `INSERT INTO ${KV} (key, value) SELECT ${p(1)}, ${p(2)} WHERE true${live} ON CONFLICT (key) DO NOTHING RETURNING 1`,
        [k, next],
      );
    }
    return guarded(
      key,
      (p) => `UPDATE ${KV} SET value = ${p(2)} WHERE key = ${p(1)} AND value = ${p(3)}${live} RETURNING 1`,
      [k, next, expected],
    );
  }

  const claims: ClaimDriver = {
    async tryClaim(key: string, claim: StoredClaim, _ttlMs: number, nowMs: number) {
      // A concurrent insert of the same key waits for the first to commit, then sees a live row and returns nothing.
      const outcome = await guarded(
        key,
        (p) =>
          `INSERT INTO ${CLAIMS} AS c (key, owner, claimed_at, expires_at) SELECT ${p(1)}, ${p(2)}, ${p(3)}::bigint, ${p(4)}::bigint WHERE true${ifLive(key)}
           ON CONFLICT (key) DO UPDATE SET owner = EXCLUDED.owner, claimed_at = EXCLUDED.claimed_at, expires_at = EXCLUDED.expires_at
           WHERE c.expires_at <= ${p(5)}::bigint RETURNING 1`,
        [full(key), claim.owner, claim.claimedAtMs, claim.expiresAtMs, nowMs],
      );
      return outcome === 'written';
    },
    async release(key: string, owner: string) {
      const rows = await query(`DELETE FROM ${CLAIMS} WHERE key = $1 AND owner = $2 RETURNING key`, [full(key), owner]);
      return rows.length > 0;
    },
    async read(key: string, nowMs: number) {
      const rows = await query(
        `SELECT owner, claimed_at, expires_at FROM ${CLAIMS} WHERE key = $1 AND expires_at > $2`,
        [full(key), nowMs],
      );
      const row = rows[0];
      return row === undefined ? undefined : claimFromRow(row);
    },
  };

  const log: LogDriver = {
    async append(key, entry, capacity) {
      const k = full(key);
      const outcome = await guarded(
        key,
        (p) => `INSERT INTO ${LOG} (key, entry) SELECT ${p(1)}, ${p(2)} WHERE true${ifLive(key)} RETURNING 1`,
        [k, entry],
      );
      if (outcome !== 'written') return 'gone';
      // Trimming reads only this key's newest entries through the (key, id) index.
      await query(
        `DELETE FROM ${LOG} WHERE key = $1 AND id <= (SELECT id FROM ${LOG} WHERE key = $1 ORDER BY id DESC OFFSET $2 LIMIT 1)`,
        [k, capacity],
      );
      return 'written';
    },
    async latest(key, count) {
      const rows = await query(`SELECT entry FROM ${LOG} WHERE key = $1 ORDER BY id DESC LIMIT $2`, [full(key), count]);
      return rows.map((row) => String(row.entry));
    },
  };

  const due: DueDriver = {
    async set(queue, member, dueAtMs) {
      const outcome = await guarded(
        member,
        (p) =>
          `INSERT INTO ${DUE} (queue, member, due_at) SELECT ${p(1)}, ${p(2)}, ${p(3)}::bigint WHERE true${ifLive(member)}
           ON CONFLICT (queue, member) DO UPDATE SET due_at = EXCLUDED.due_at RETURNING 1`,
        [full(queue), full(member), dueAtMs],
      );
      return outcome === 'written' ? 'written' : 'gone';
    },
    async remove(queue, member) {
      const rows = await query(`DELETE FROM ${DUE} WHERE queue = $1 AND member = $2 RETURNING member`, [
        full(queue),
        full(member),
      ]);
      return rows.length > 0;
    },
    async take(queue, nowMs, limit, leaseMs) {
      // SKIP LOCKED hands concurrent takers disjoint rows; a row another taker moved is re-checked against due_at.
      const rows = await query(
        `UPDATE ${DUE} d SET previous_due_at = d.due_at, due_at = $4
         FROM (SELECT queue, member FROM ${DUE} WHERE queue = $1 AND due_at <= $2 ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED) picked
         WHERE d.queue = picked.queue AND d.member = picked.member
         RETURNING d.member, d.previous_due_at`,
        [full(queue), nowMs, limit, nowMs + leaseMs],
      );
      return dueEntriesFromRows(rows, namespace);
    },
    async get(queue, member) {
      const rows = await query(`SELECT due_at FROM ${DUE} WHERE queue = $1 AND member = $2`, [
        full(queue),
        full(member),
      ]);
      return rows[0] === undefined ? undefined : Number(rows[0].due_at);
    },
    async size(queue) {
      const rows = await query(`SELECT count(*) AS n FROM ${DUE} WHERE queue = $1`, [full(queue)]);
      return Number(rows[0]?.n ?? 0);
    },
  };

  let closed = false;
  return {
    kind: 'postgres',
    keyv,
    claims,
    log,
    due,
    write,
    async listKeys(prefix: string) {
      const rows = await query(`SELECT key FROM ${KV} WHERE ${KEY_RANGE}`, prefixBounds(full(prefix)));
      return rows.map((row) => stripNamespace(namespace, String(row.key)));
    },
    async readRaw(key: string) {
      const rows = await query(`SELECT value FROM ${KV} WHERE key = $1`, [full(key)]);
      const value = rows[0]?.value;
      return typeof value === 'string' ? value : undefined;
    },
    async listWorkspaces(after: string | undefined, limit: number) {
      const [low, high] = prefixBounds(full(''));
      const rows = await query(
        `SELECT name FROM ${WORKSPACES} WHERE name > $1 AND name < $2 AND deleted_at IS NULL ORDER BY name LIMIT $3`,
        [after === undefined ? low : full(after), high, limit],
      );
      return rows.map((row) => stripNamespace(namespace, String(row.name)));
    },
    async deleteWorkspace(workspaceKey: string, nowMs: number) {
      // One transaction: the tombstone takes the workspace's row lock first (waiting for writes in
      // progress), and each DELETE after it reads a fresh snapshot that includes them.
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO ${WORKSPACES} (name, deleted_at) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET deleted_at = EXCLUDED.deleted_at`,
          [full(workspaceKey), nowMs],
        );
        const bounds = prefixBounds(full(workspaceKeyPrefix(workspaceKey)));
        let removed = 0;
        for (const table of [KV, CLAIMS]) {
          removed += (await client.query(`DELETE FROM ${table} WHERE ${KEY_RANGE} RETURNING 1`, bounds)).rows.length;
        }
        removed += (await client.query(`DELETE FROM ${LOG} WHERE key >= $1 AND key < $2 RETURNING 1`, bounds)).rows
          .length;
        removed += (await client.query(`DELETE FROM ${DUE} WHERE member >= $1 AND member < $2 RETURNING 1`, bounds))
          .rows.length;
        await client.query('COMMIT');
        client.release();
        return removed;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        client.release(error instanceof Error ? error : undefined);
        throw error;
      }
    },
    async reviveWorkspace(workspaceKey: string) {
      const rows = await query(
        `UPDATE ${WORKSPACES} SET deleted_at = NULL WHERE name = $1 AND deleted_at IS NOT NULL RETURNING name`,
        [full(workspaceKey)],
      );
      return rows.length > 0;
    },
    async isDeleted(workspaceKey: string) {
      const rows = await query(`SELECT 1 FROM ${WORKSPACES} WHERE name = $1 AND deleted_at IS NOT NULL`, [
        full(workspaceKey),
      ]);
      return rows.length > 0;
    },
    async ping() {
      await query('SELECT 1');
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

/** 'written' when the statement wrote; otherwise 'gone' if the workspace guard refused, else 'conflict'. */
function outcomeOf(rows: Rows): WriteOutcome {
  const row = rows[0] ?? {};
  if (Number(row.written) > 0) return 'written';
  return Number(row.live) > 0 ? 'conflict' : 'gone';
}

/**
 * Runs the driver's statements as named prepared statements: each connection parses and plans a text
 * once and then only binds and executes it, where an unnamed statement is parsed and planned on every
 * call. The texts are a small fixed set; the name is derived from the text, so it never names two.
 */
function namedStatements(pool: PgPool): Query {
  const names = new Map<string, string>();
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (name === undefined) {
      name = `viam_billing_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
      names.set(text, name);
    }
    return name;
  };
  return async (text, values) => (await pool.query({ name: nameOf(text), text, ...(values ? { values } : {}) })).rows;
}

async function createOnce(query: Query, sql: string): Promise<void> {
  try {
    await query(sql);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !CONCURRENT_CREATE_CODES.has(code)) throw error;
  }
}

/**
 * Stores written before the workspace table existed list their workspaces once from the keys; the
 * marker row keeps later starts from doing it again.
 */
async function backfillWorkspaces(query: Query, namespace: string): Promise<void> {
  const marker = physicalKey(namespace, 'meta:workspace-index');
  if ((await query(`SELECT 1 FROM ${KV} WHERE key = $1`, [marker])).length > 0) return;
  const [low, high] = prefixBounds(physicalKey(namespace, 'ws:'));
  await query(
    `INSERT INTO ${WORKSPACES} (name)
     SELECT DISTINCT $3 || split_part(substr(key, $4), ':', 1) FROM ${KV}
     WHERE ${KEY_RANGE} AND split_part(substr(key, $4), ':', 1) <> ''
     ON CONFLICT (name) DO NOTHING`,
    [low, high, `${namespace}:`, low.length + 1],
  );
  await query(`INSERT INTO ${KV} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [marker, '{"value":1}']);
}

/** The Keyv adapter, running its SQL on our pool instead of its process-wide one. */
function adapterOverPool(query: Query): KeyvPostgres {
  class PooledKeyvPostgres extends KeyvPostgres {
    override async connect() {
      return query;
    }
    // The pool belongs to the driver, which ends it in close().
    override async disconnect() {}
  }
  // No uri: the adapter never connects by itself, and keeping the URL out of its options keeps the password out too.
  return new PooledKeyvPostgres({ table: KV_TABLE, schema: 'public' });
}

import KeyvPostgres from '@keyv/postgres';
import Keyv from 'keyv';
import type { BackendDriver, ClaimDriver, StoredClaim } from './driver';
import { CLAIMS_TABLE, claimFromRow, type KeyvCodec, KV_TABLE, physicalKey, stripNamespace } from './shared';

// Keyv's adapter always qualifies its table with the schema (`public` by default); ours match it.
const KV = `public.${KV_TABLE}`;
const CLAIMS = `public.${CLAIMS_TABLE}`;

/** The part of pg's Pool we use; pg ships no types of its own and @types/pg is not installed. */
interface PgPool {
  query(sql: string, values?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
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
    max: 5,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    query_timeout: 15_000,
  });
}

/** Errors Postgres raises when two processes run the same CREATE TABLE IF NOT EXISTS at once. */
const CONCURRENT_CREATE_CODES = new Set(['23505', '42P07']);

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
  const query = async (sql: string, values?: unknown[]) => (await pool.query(sql, values)).rows;

  try {
    await query('SELECT 1');
    await createTableOnce(
      query,
      `CREATE TABLE IF NOT EXISTS ${CLAIMS} (key TEXT PRIMARY KEY, owner TEXT NOT NULL, claimed_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)`,
    );
    // Keyv's adapter creates its table too, but reports failure only as an event; doing it first surfaces errors here.
    await createTableOnce(query, `CREATE TABLE IF NOT EXISTS ${KV} (key VARCHAR(255) PRIMARY KEY, value TEXT)`);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }

  const adapter = adapterOverPool(query);
  adapter.on('error', options.onError);
  const keyv = new Keyv<unknown>({ store: adapter, namespace, throwOnErrors: true, ...options.codec });
  const full = (key: string) => physicalKey(namespace, key);

  const claims: ClaimDriver = {
    async tryClaim(key: string, claim: StoredClaim, _ttlMs: number, nowMs: number) {
      // A concurrent insert of the same key waits for the first to commit, then sees a live row and returns nothing.
      const rows = await query(
        `INSERT INTO ${CLAIMS} AS c (key, owner, claimed_at, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (key) DO UPDATE SET owner = EXCLUDED.owner, claimed_at = EXCLUDED.claimed_at, expires_at = EXCLUDED.expires_at
         WHERE c.expires_at <= $5
         RETURNING key`,
        [full(key), claim.owner, claim.claimedAtMs, claim.expiresAtMs, nowMs],
      );
      return rows.length === 1;
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
    async deleteByPrefix(prefix: string) {
      const rows = await query(`DELETE FROM ${CLAIMS} WHERE starts_with(key, $1) RETURNING key`, [full(prefix)]);
      return rows.length;
    },
  };

  let closed = false;
  return {
    kind: 'postgres',
    keyv,
    claims,
    async listKeys(prefix: string) {
      // starts_with compares bytes; LIKE would need escaping and range comparisons depend on the collation.
      const rows = await query(`SELECT key FROM ${KV} WHERE starts_with(key, $1)`, [full(prefix)]);
      return rows.map((row) => stripNamespace(namespace, String(row.key)));
    },
    async deleteByPrefix(prefix: string) {
      const rows = await query(`DELETE FROM ${KV} WHERE starts_with(key, $1) RETURNING key`, [full(prefix)]);
      return rows.length;
    },
    async readRaw(key: string) {
      const rows = await query(`SELECT value FROM ${KV} WHERE key = $1`, [full(key)]);
      const value = rows[0]?.value;
      return typeof value === 'string' ? value : undefined;
    },
    async writeRaw(key: string, raw: string) {
      await query(
        `INSERT INTO ${KV} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
        [full(key), raw],
      );
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

type Query = (sql: string, values?: unknown[]) => Promise<Array<Record<string, unknown>>>;

async function createTableOnce(query: Query, sql: string): Promise<void> {
  try {
    await query(sql);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !CONCURRENT_CREATE_CODES.has(code)) throw error;
  }
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

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
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
import { openSqliteConnection, type SqliteConnection, type SqliteQuery } from './sqlite-connection';

export { prefixBounds } from './shared';

type Query = SqliteQuery;

/** Keyv's table and ours. Every index here is a B-tree on BINARY (byte-order) text, so prefix ranges walk it. */
const SCHEMA = [
  // Keyv's table, as @keyv/sqlite would create it; the adapter runs on our connection and creates nothing there.
  `CREATE TABLE IF NOT EXISTS ${KV_TABLE} (key VARCHAR(255) PRIMARY KEY, value TEXT)`,
  `CREATE TABLE IF NOT EXISTS ${CLAIMS_TABLE} (key TEXT PRIMARY KEY, owner TEXT NOT NULL, claimed_at INTEGER NOT NULL, expires_at INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS ${WORKSPACES_TABLE} (name TEXT PRIMARY KEY, deleted_at INTEGER)`,
  `CREATE TABLE IF NOT EXISTS ${LOG_TABLE} (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, entry TEXT NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS ${LOG_TABLE}_by_key ON ${LOG_TABLE} (key, id)`,
  `CREATE TABLE IF NOT EXISTS ${DUE_TABLE} (queue TEXT NOT NULL, member TEXT NOT NULL, due_at INTEGER NOT NULL, previous_due_at INTEGER, PRIMARY KEY (queue, member))`,
  `CREATE INDEX IF NOT EXISTS ${DUE_TABLE}_by_time ON ${DUE_TABLE} (queue, due_at)`,
  `CREATE INDEX IF NOT EXISTS ${DUE_TABLE}_by_member ON ${DUE_TABLE} (member)`,
];

/**
 * @keyv/sqlite's adapter, running its SQL on our connection (whose statements stay prepared) instead of
 * one of its own. Its constructor always opens a connection from its options; with no `uri` that is an
 * empty in-memory database, which is closed at once and never used.
 */
class KeyvSqliteOnConnection extends KeyvSqlite {
  constructor(connection: SqliteConnection) {
    super({ table: KV_TABLE });
    void this.close().catch(() => undefined);
    this.query = connection.query;
    // The connection belongs to the driver, which closes it in close().
    this.close = async () => undefined;
  }
}

/**
 * Opens our connection to the file, switches on WAL and creates the tables; closes the connection when
 * any of that fails (a read-only folder, a full disk), so a failed start leaves no open file behind.
 */
async function openConnection(file: string): Promise<SqliteConnection> {
  const connection = await openSqliteConnection(file, 5_000);
  try {
    await connection.query('PRAGMA journal_mode=WAL');
    for (const statement of SCHEMA) await connection.query(statement);
    return connection;
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
}

const OPEN_ATTEMPTS = 5;
/** Bounds the memory of registered workspaces (a few MiB); past it the set starts again. */
const MAX_REGISTERED_REMEMBERED = 100_000;

/**
 * Two processes (or two stores in one) opening a new file at the same moment can find it locked
 * while the other switches on WAL or creates its tables, before any busy timeout applies; that
 * passes in milliseconds, so opening is tried again instead of failing the start.
 */
async function whileBusy<T>(open: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await open();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if ((code !== 'SQLITE_BUSY' && code !== 'SQLITE_LOCKED') || attempt >= OPEN_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 50));
    }
  }
}

/**
 * Keys starting with ?1: the range on the primary key lets SQLite walk its index instead of reading
 * every row, and substr keeps the match exact. substr rather than LIKE: LIKE is case-insensitive in
 * SQLite and treats `_` as a wildcard.
 */
export const PREFIX_MATCH = 'key >= ?1 AND key < ?2 AND substr(key, 1, length(?1)) = ?1';

/** True when the workspace named by ?9 is tombstoned; part of each write statement, so the check and the write are one. */
const TOMBSTONED = `EXISTS (SELECT 1 FROM ${WORKSPACES_TABLE} WHERE name = ?9 AND deleted_at IS NOT NULL)`;

/**
 * The embedded store: one SQLite file holding Keyv's table and ours. WAL lets a second process (the
 * CLI, another replica on the same disk) read while the app writes; the busy timeout makes concurrent
 * writers wait instead of failing.
 *
 * Atomicity: SQLite takes its write lock at the start of every INSERT/UPDATE/DELETE and holds it to the
 * statement's end, across processes. So each compare-and-set below is one statement whose condition
 * (the expected value, the tombstone) is read under the same lock as the write. Deleting a workspace
 * tombstones it first, in its own statement, so any write after that sees it and nothing is left behind.
 */
export async function openSqliteDriver(options: {
  file: string;
  namespace: string;
  codec: KeyvCodec;
  onError: (error: unknown) => void;
}): Promise<BackendDriver> {
  const { file, namespace } = options;
  await mkdir(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
  const connection = await whileBusy(() => openConnection(file));
  const { query } = connection;
  const adapter = new KeyvSqliteOnConnection(connection);
  adapter.on('error', options.onError);

  const keyv = new Keyv<unknown>({ store: adapter, namespace, throwOnErrors: true, ...options.codec });
  const full = (key: string) => physicalKey(namespace, key);
  /** ?9 in TOMBSTONED: the namespaced workspace name, or one no row has for keys outside workspaces. */
  const tombName = (key: string) => {
    const workspace = workspaceOfKey(key);
    return workspace === undefined ? '' : full(workspace);
  };
  /**
   * Workspace rows this driver saw exist. A row is never deleted (an uninstall only tombstones it, and
   * every write checks the tombstone itself), so once it is there registering it again is a wasted
   * write statement; a digest makes several writes into one workspace.
   */
  const registered = new Set<string>();
  const register = async (key: string) => {
    const name = tombName(key);
    if (name === '' || registered.has(name)) return;
    await query(`INSERT INTO ${WORKSPACES_TABLE} (name) VALUES (?1) ON CONFLICT (name) DO NOTHING`, name);
    if (registered.size >= MAX_REGISTERED_REMEMBERED) registered.clear();
    registered.add(name);
  };
  const refusal = async (key: string): Promise<WriteOutcome> => {
    const name = tombName(key);
    if (name === '') return 'conflict';
    const rows = await query(`SELECT 1 FROM ${WORKSPACES_TABLE} WHERE name = ?1 AND deleted_at IS NOT NULL`, name);
    return rows.length > 0 ? 'gone' : 'conflict';
  };

  async function write(key: string, next: string | null, expected?: string | null): Promise<WriteOutcome> {
    const k = full(key);
    if (next === null) {
      if (expected === null) {
        const rows = await query(`SELECT 1 FROM ${KV_TABLE} WHERE key = ?1`, k);
        return rows.length === 0 ? 'written' : 'conflict';
      }
      if (expected === undefined) {
        await query(`DELETE FROM ${KV_TABLE} WHERE key = ?1`, k);
        return 'written';
      }
      const rows = await query(`DELETE FROM ${KV_TABLE} WHERE key = ?1 AND value = ?2 RETURNING key`, k, expected);
      return rows.length === 1 ? 'written' : 'conflict';
    }
    await register(key);
    const name = tombName(key);
    let rows: Array<Record<string, unknown>>;
    if (expected === undefined) {
      rows = await query(
        `INSERT INTO ${KV_TABLE} (key, value) SELECT ?1, ?2 WHERE NOT ${TOMBSTONED}
         ON CONFLICT (key) DO UPDATE SET value = excluded.value RETURNING key`,
        ...withTombstone(name, k, next),
      );
    } else if (expected === null) {
      rows = await query(
        `INSERT INTO ${KV_TABLE} (key, value) SELECT ?1, ?2 WHERE NOT ${TOMBSTONED}
         ON CONFLICT (key) DO NOTHING RETURNING key`,
        ...withTombstone(name, k, next),
      );
    } else {
      rows = await query(
        `UPDATE ${KV_TABLE} SET value = ?2 WHERE key = ?1 AND value = ?3 AND NOT ${TOMBSTONED} RETURNING key`,
        ...withTombstone(name, k, next, expected),
      );
    }
    return rows.length === 1 ? 'written' : refusal(key);
  }

  const claims: ClaimDriver = {
    async tryClaim(key: string, claim: StoredClaim, _ttlMs: number, nowMs: number) {
      // One statement, so SQLite's write lock makes it atomic across connections; an expired row is taken over.
      const rows = await query(
        `INSERT INTO ${CLAIMS_TABLE} (key, owner, claimed_at, expires_at) SELECT ?1, ?2, ?3, ?4 WHERE NOT ${TOMBSTONED}
         ON CONFLICT(key) DO UPDATE SET owner = excluded.owner, claimed_at = excluded.claimed_at, expires_at = excluded.expires_at
         WHERE ${CLAIMS_TABLE}.expires_at <= ?5
         RETURNING key`,
        ...withTombstone(tombName(key), full(key), claim.owner, claim.claimedAtMs, claim.expiresAtMs, nowMs),
      );
      return rows.length === 1;
    },
    async release(key: string, owner: string) {
      const rows = await query(
        `DELETE FROM ${CLAIMS_TABLE} WHERE key = ?1 AND owner = ?2 RETURNING key`,
        full(key),
        owner,
      );
      return rows.length > 0;
    },
    async read(key: string, nowMs: number) {
      const rows = await query(
        `SELECT owner, claimed_at, expires_at FROM ${CLAIMS_TABLE} WHERE key = ?1 AND expires_at > ?2`,
        full(key),
        nowMs,
      );
      const row = rows[0];
      return row === undefined ? undefined : claimFromRow(row);
    },
  };

  const log: LogDriver = {
    async append(key, entry, capacity) {
      await register(key);
      const k = full(key);
      const rows = await query(
        `INSERT INTO ${LOG_TABLE} (key, entry) SELECT ?1, ?2 WHERE NOT ${TOMBSTONED} RETURNING id`,
        ...withTombstone(tombName(key), k, entry),
      );
      if (rows.length === 0) return 'gone';
      // Trimming reads only this key's newest entries through the (key, id) index.
      await query(
        `DELETE FROM ${LOG_TABLE} WHERE key = ?1 AND id <= (SELECT id FROM ${LOG_TABLE} WHERE key = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)`,
        k,
        capacity,
      );
      return 'written';
    },
    async latest(key, count) {
      const rows = await query(
        `SELECT entry FROM ${LOG_TABLE} WHERE key = ?1 ORDER BY id DESC LIMIT ?2`,
        full(key),
        count,
      );
      return rows.map((row) => String(row.entry));
    },
  };

  const due: DueDriver = {
    async set(queue, member, dueAtMs) {
      await register(member);
      const rows = await query(
        `INSERT INTO ${DUE_TABLE} (queue, member, due_at) SELECT ?1, ?2, ?3 WHERE NOT ${TOMBSTONED}
         ON CONFLICT (queue, member) DO UPDATE SET due_at = excluded.due_at RETURNING member`,
        ...withTombstone(tombName(member), full(queue), full(member), dueAtMs),
      );
      return rows.length === 1 ? 'written' : 'gone';
    },
    async remove(queue, member) {
      const rows = await query(
        `DELETE FROM ${DUE_TABLE} WHERE queue = ?1 AND member = ?2 RETURNING member`,
        full(queue),
        full(member),
      );
      return rows.length > 0;
    },
    async take(queue, nowMs, limit, leaseMs) {
      // SET reads the old due_at, so previous_due_at carries it out through RETURNING.
      const rows = await query(
        `UPDATE ${DUE_TABLE} SET previous_due_at = due_at, due_at = ?4
         WHERE rowid IN (SELECT rowid FROM ${DUE_TABLE} WHERE queue = ?1 AND due_at <= ?2 ORDER BY due_at LIMIT ?3)
         RETURNING member, previous_due_at`,
        full(queue),
        nowMs,
        limit,
        nowMs + leaseMs,
      );
      return dueEntriesFromRows(rows, namespace);
    },
    async get(queue, member) {
      const rows = await query(
        `SELECT due_at FROM ${DUE_TABLE} WHERE queue = ?1 AND member = ?2`,
        full(queue),
        full(member),
      );
      return rows[0] === undefined ? undefined : Number(rows[0].due_at);
    },
    async size(queue) {
      const rows = await query(`SELECT count(*) AS n FROM ${DUE_TABLE} WHERE queue = ?1`, full(queue));
      return Number(rows[0]?.n ?? 0);
    },
  };

  await backfillWorkspaces(query, namespace);

  return {
    kind: 'sqlite',
    keyv,
    claims,
    log,
    due,
    write,
    async listKeys(prefix: string) {
      const rows = await query(`SELECT key FROM ${KV_TABLE} WHERE ${PREFIX_MATCH}`, ...prefixBounds(full(prefix)));
      return rows.map((row) => stripNamespace(namespace, String(row.key)));
    },
    async readRaw(key: string) {
      const rows = await query(`SELECT value FROM ${KV_TABLE} WHERE key = ?1`, full(key));
      const value = rows[0]?.value;
      return typeof value === 'string' ? value : undefined;
    },
    async listWorkspaces(after: string | undefined, limit: number) {
      const [low, high] = prefixBounds(full(''));
      const rows = await query(
        `SELECT name FROM ${WORKSPACES_TABLE} WHERE name > ?1 AND name < ?2 AND deleted_at IS NULL ORDER BY name LIMIT ?3`,
        after === undefined ? low : full(after),
        high,
        limit,
      );
      return rows.map((row) => stripNamespace(namespace, String(row.name)));
    },
    async deleteWorkspace(workspaceKey: string, nowMs: number) {
      const name = full(workspaceKey);
      // The tombstone first: from here on every write into the workspace is refused, so the deletes below are final.
      await query(
        `INSERT INTO ${WORKSPACES_TABLE} (name, deleted_at) VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET deleted_at = excluded.deleted_at`,
        name,
        nowMs,
      );
      const bounds = prefixBounds(full(workspaceKeyPrefix(workspaceKey)));
      let removed = 0;
      for (const table of [KV_TABLE, CLAIMS_TABLE, LOG_TABLE]) {
        removed += (await query(`DELETE FROM ${table} WHERE ${PREFIX_MATCH} RETURNING 1`, ...bounds)).length;
      }
      removed += (
        await query(
          `DELETE FROM ${DUE_TABLE} WHERE member >= ?1 AND member < ?2 AND substr(member, 1, length(?1)) = ?1 RETURNING 1`,
          ...bounds,
        )
      ).length;
      return removed;
    },
    async reviveWorkspace(workspaceKey: string) {
      const rows = await query(
        `UPDATE ${WORKSPACES_TABLE} SET deleted_at = NULL WHERE name = ?1 AND deleted_at IS NOT NULL RETURNING name`,
        full(workspaceKey),
      );
      return rows.length > 0;
    },
    async isDeleted(workspaceKey: string) {
      const rows = await query(
        `SELECT 1 FROM ${WORKSPACES_TABLE} WHERE name = ?1 AND deleted_at IS NOT NULL`,
        full(workspaceKey),
      );
      return rows.length > 0;
    },
    async ping() {
      await query('SELECT 1');
    },
    async close() {
      await connection.close();
    },
  };
}

/**
 * Binds a statement that uses ?1…?8 for its own values and ?9 for the tombstone's workspace name:
 * SQLite binds an array by position, so the name always goes in the ninth slot.
 */
function withTombstone(workspaceName: string, ...values: unknown[]): unknown[] {
  const slots = [...values];
  while (slots.length < 8) slots.push(null);
  slots.push(workspaceName);
  return slots;
}

/**
 * Stores written before the workspace table existed list their workspaces once from the keys; the
 * marker row keeps later starts from doing it again.
 */
async function backfillWorkspaces(query: Query, namespace: string): Promise<void> {
  const marker = physicalKey(namespace, 'meta:workspace-index');
  const done = await query(`SELECT 1 FROM ${KV_TABLE} WHERE key = ?1`, marker);
  if (done.length > 0) return;
  const [low, high] = prefixBounds(physicalKey(namespace, 'ws:'));
  const start = low.length + 1;
  await query(
    `INSERT INTO ${WORKSPACES_TABLE} (name)
     SELECT DISTINCT ?3 || substr(key, ?4, instr(substr(key, ?4), ':') - 1) FROM ${KV_TABLE}
     WHERE key >= ?1 AND key < ?2 AND instr(substr(key, ?4), ':') > 1
     ON CONFLICT (name) DO NOTHING`,
    low,
    high,
    `${namespace}:`,
    start,
  );
  await query(
    `INSERT INTO ${KV_TABLE} (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING`,
    marker,
    '{"value":1}',
  );
}

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import sqlite3 from 'sqlite3';
import type { BackendDriver, ClaimDriver, StoredClaim } from './driver';
import { CLAIMS_TABLE, claimFromRow, type KeyvCodec, KV_TABLE, physicalKey, stripNamespace } from './shared';

type Query = (sql: string, ...params: unknown[]) => Promise<Array<Record<string, unknown>>>;

/**
 * Opens the file with a handle of our own to switch on WAL and create the claims table, and always
 * closes it. KeyvSqlite cannot close a database whose first statement failed (a read-only folder, a
 * full disk), so preparing the file through it would leak an open file when start-up fails.
 */
async function prepareFile(file: string): Promise<void> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const opened = new sqlite3.Database(file, (error) => (error ? reject(error) : resolve(opened)));
  });
  const run = (sql: string) =>
    new Promise<void>((resolve, reject) => db.run(sql, (error) => (error ? reject(error) : resolve())));
  try {
    db.configure('busyTimeout', 5_000);
    await run('PRAGMA journal_mode=WAL');
    await run(
      `CREATE TABLE IF NOT EXISTS ${CLAIMS_TABLE} (key TEXT PRIMARY KEY, owner TEXT NOT NULL, claimed_at INTEGER NOT NULL, expires_at INTEGER NOT NULL)`,
    );
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()));
  }
}

/** Prepares the file and opens Keyv's connection to it; closes what it opened when that fails. */
async function openAdapter(file: string, onError: (error: unknown) => void): Promise<KeyvSqlite> {
  await prepareFile(file);
  const adapter = new KeyvSqlite({ uri: `sqlite://${file}`, table: KV_TABLE, busyTimeout: 5_000 });
  adapter.on('error', onError);
  try {
    // Cheap on a prepared file; it also proves the adapter's own connection works.
    await (adapter.query as Query)('PRAGMA journal_mode=WAL');
    return adapter;
  } catch (error) {
    await adapter.disconnect().catch(() => undefined);
    throw error;
  }
}

const OPEN_ATTEMPTS = 5;

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
 * The embedded store: one SQLite file holding Keyv's table and our claims table. WAL lets a second
 * process (the CLI, another replica on the same disk) read while the app writes; the busy timeout
 * makes concurrent writers wait instead of failing.
 */
export async function openSqliteDriver(options: {
  file: string;
  namespace: string;
  codec: KeyvCodec;
  onError: (error: unknown) => void;
}): Promise<BackendDriver> {
  const { file, namespace } = options;
  await mkdir(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
  const adapter = await whileBusy(() => openAdapter(file, options.onError));
  const query = adapter.query as Query;

  const keyv = new Keyv<unknown>({ store: adapter, namespace, throwOnErrors: true, ...options.codec });
  const full = (key: string) => physicalKey(namespace, key);

  const claims: ClaimDriver = {
    async tryClaim(key: string, claim: StoredClaim, _ttlMs: number, nowMs: number) {
      // One statement, so SQLite's write lock makes it atomic across connections; an expired row is taken over.
      const rows = await query(
        `INSERT INTO ${CLAIMS_TABLE} (key, owner, claimed_at, expires_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(key) DO UPDATE SET owner = excluded.owner, claimed_at = excluded.claimed_at, expires_at = excluded.expires_at
         WHERE ${CLAIMS_TABLE}.expires_at <= ?5
         RETURNING key`,
        full(key),
        claim.owner,
        claim.claimedAtMs,
        claim.expiresAtMs,
        nowMs,
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
    async deleteByPrefix(prefix: string) {
      const rows = await query(
        `DELETE FROM ${CLAIMS_TABLE} WHERE ${PREFIX_MATCH} RETURNING key`,
        ...prefixBounds(full(prefix)),
      );
      return rows.length;
    },
  };

  return {
    kind: 'sqlite',
    keyv,
    claims,
    async listKeys(prefix: string) {
      const rows = await query(`SELECT key FROM ${KV_TABLE} WHERE ${PREFIX_MATCH}`, ...prefixBounds(full(prefix)));
      return rows.map((row) => stripNamespace(namespace, String(row.key)));
    },
    async deleteByPrefix(prefix: string) {
      const rows = await query(
        `DELETE FROM ${KV_TABLE} WHERE ${PREFIX_MATCH} RETURNING key`,
        ...prefixBounds(full(prefix)),
      );
      return rows.length;
    },
    async readRaw(key: string) {
      const rows = await query(`SELECT value FROM ${KV_TABLE} WHERE key = ?1`, full(key));
      const value = rows[0]?.value;
      return typeof value === 'string' ? value : undefined;
    },
    async writeRaw(key: string, raw: string) {
      await query(
        `INSERT INTO ${KV_TABLE} (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
        full(key),
        raw,
      );
    },
    async ping() {
      await query('SELECT 1');
    },
    async close() {
      await adapter.disconnect();
    },
  };
}

/**
 * Keys starting with ?1: the range on the primary key lets SQLite walk its index instead of reading
 * every row (a full scan per workspace made listing 10,000 workspaces' schedules take most of a
 * minute), and substr keeps the match exact. substr rather than LIKE: LIKE is case-insensitive in
 * SQLite and treats `_` as a wildcard.
 */
export const PREFIX_MATCH = 'key >= ?1 AND key < ?2 AND substr(key, 1, length(?1)) = ?1';

/**
 * The prefix and a string above every key that starts with it: the prefix up to its last character
 * that can be raised by one, raised. Keys compare as UTF-8 bytes, which orders like code points.
 */
export function prefixBounds(prefix: string): [string, string] {
  for (let end = prefix.length - 1; end >= 0; end--) {
    const unit = prefix.charCodeAt(end);
    // A surrogate half or U+FFFF cannot be raised into a valid character of the same length.
    if (unit < 0xd7ff || (unit > 0xdfff && unit < 0xffff)) {
      return [prefix, `${prefix.slice(0, end)}${String.fromCharCode(unit + 1)}`];
    }
  }
  return [prefix, String.fromCodePoint(0x10ffff)];
}

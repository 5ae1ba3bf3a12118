import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import type { BackendDriver, ClaimDriver, StoredClaim } from './driver';
import { CLAIMS_TABLE, claimFromRow, type KeyvCodec, KV_TABLE, physicalKey, stripNamespace } from './shared';

type Query = (sql: string, ...params: unknown[]) => Promise<Array<Record<string, unknown>>>;

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

  const adapter = new KeyvSqlite({ uri: `sqlite://${file}`, table: KV_TABLE, busyTimeout: 5_000 });
  adapter.on('error', options.onError);
  const query = adapter.query as Query;
  try {
    await query('PRAGMA journal_mode=WAL');
    await query(
      `CREATE TABLE IF NOT EXISTS ${CLAIMS_TABLE} (key TEXT PRIMARY KEY, owner TEXT NOT NULL, claimed_at INTEGER NOT NULL, expires_at INTEGER NOT NULL)`,
    );
  } catch (error) {
    await adapter.disconnect().catch(() => undefined);
    throw error;
  }

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
        `DELETE FROM ${CLAIMS_TABLE} WHERE substr(key, 1, length(?1)) = ?1 RETURNING key`,
        full(prefix),
      );
      return rows.length;
    },
  };

  return {
    kind: 'sqlite',
    keyv,
    claims,
    async listKeys(prefix: string) {
      // substr rather than LIKE: LIKE is case-insensitive in SQLite and treats `_` as a wildcard.
      const rows = await query(`SELECT key FROM ${KV_TABLE} WHERE substr(key, 1, length(?1)) = ?1`, full(prefix));
      return rows.map((row) => stripNamespace(namespace, String(row.key)));
    },
    async deleteByPrefix(prefix: string) {
      const rows = await query(
        `DELETE FROM ${KV_TABLE} WHERE substr(key, 1, length(?1)) = ?1 RETURNING key`,
        full(prefix),
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

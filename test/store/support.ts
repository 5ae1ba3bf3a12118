import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from '@keyv/redis';
import sqlite3 from 'sqlite3';
import { createLogger, type Logger } from '../../src/logger';
import { openStore, type Store, type StoreOptions } from '../../src/store';

/**
 * Shared by the store tests: the backends to run against, raw access to what each backend holds
 * (read and written around the store on purpose), and a logger whose output can be searched.
 */

export type BackendName = 'sqlite' | 'redis' | 'postgres';

/** A fresh 32-byte key in base64, as `openssl rand -base64 32` makes. */
export function newEncryptionKey(): string {
  return randomBytes(32).toString('base64');
}

export function uniqueNamespace(): string {
  return `t-${process.pid}-${randomBytes(4).toString('hex')}`;
}

export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'viam-store-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface CapturedLog {
  logger: Logger;
  text(): string;
  entries(): Array<Record<string, unknown>>;
}

/** A real pino logger at debug level writing into memory. */
export function captureLog(): CapturedLog {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', name: 'store-test' }, { write: (line: string) => lines.push(line) });
  return {
    logger,
    text: () => lines.join(''),
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** Everything a backend holds under one namespace, read with the backend's own client. */
export interface RawBackend {
  /** Every key and value of the namespace, claims included (SQL claims rows are rendered as JSON). */
  entries(): Promise<Array<{ key: string; value: string }>>;
  /** Writes a value under a physical key, bypassing the store. */
  put(physicalKey: string, value: string): Promise<void>;
  /** Redis only: milliseconds left on a key. */
  ttlMs?(physicalKey: string): Promise<number>;
  /** Drops every key of the namespace. */
  clear(): Promise<void>;
  close(): Promise<void>;
}

export interface BackendUnderTest {
  name: BackendName;
  /** Why it is skipped, or undefined when it runs. */
  skipReason?: string;
  /** Opens a store on this backend; stores opened with the same `dir` and namespace share data. */
  open(options: {
    dir: string;
    namespace: string;
    logger: Logger;
    encryptionKey?: string;
    previousKeys?: string;
    now?: () => Date;
  }): Promise<Store>;
  raw(dir: string, namespace: string): Promise<RawBackend>;
}

const REDIS_URL = process.env.REDIS_URL;
const DATABASE_URL = process.env.DATABASE_URL;

export const BACKENDS: BackendUnderTest[] = [
  {
    name: 'sqlite',
    open: ({ dir, ...rest }) => openStore({ dataDir: dir, ...rest } satisfies StoreOptions),
    raw: async (dir, namespace) => rawSqlite(path.join(dir, 'store.sqlite'), namespace),
  },
  {
    name: 'redis',
    skipReason: REDIS_URL ? undefined : 'REDIS_URL is not set',
    open: ({ dir, ...rest }) => openStore({ url: REDIS_URL, dataDir: dir, ...rest }),
    raw: async (_dir, namespace) => rawRedis(REDIS_URL as string, namespace),
  },
  {
    name: 'postgres',
    skipReason: DATABASE_URL ? undefined : 'DATABASE_URL is not set',
    open: ({ dir, ...rest }) => openStore({ url: DATABASE_URL, dataDir: dir, ...rest }),
    raw: async (_dir, namespace) => rawPostgres(DATABASE_URL as string, namespace),
  },
];

/** The STORE_URL a backend under test runs on (undefined: the SQLite file in the test's folder). */
export function storeUrlOf(backend: BackendUnderTest): string | undefined {
  if (backend.name === 'redis') return REDIS_URL;
  if (backend.name === 'postgres') return DATABASE_URL;
  return undefined;
}

/** One describe block per backend; missing servers skip with a notice instead of failing. */
export function describeEachBackend(title: string, body: (backend: BackendUnderTest) => void): void {
  for (const backend of BACKENDS) {
    if (backend.skipReason) {
      console.warn(`Skipping "${title}" on ${backend.name}: ${backend.skipReason}.`);
      describe.skip(`${title} (${backend.name})`, () => body(backend));
    } else {
      describe(`${title} (${backend.name})`, () => body(backend));
    }
  }
}

/**
 * Per-test context: a temp dir, a unique namespace, a captured log and a shared encryption key;
 * stores opened through it are closed and the namespace is wiped afterwards.
 */
export function useBackend(backend: BackendUnderTest) {
  const state = {
    dir: '',
    namespace: '',
    encryptionKey: '',
    log: captureLog(),
    stores: [] as Store[],
    raws: [] as RawBackend[],
    remove: async () => {},
  };
  beforeEach(async () => {
    const temp = await tempDir();
    state.dir = temp.dir;
    state.remove = temp.remove;
    state.namespace = uniqueNamespace();
    state.encryptionKey = newEncryptionKey();
    state.log = captureLog();
    state.stores = [];
    state.raws = [];
  });
  // Everything is closed here even when a test fails half-way, so an open handle never keeps jest alive.
  afterEach(async () => {
    for (const store of state.stores) await store.close();
    const raw = await backend.raw(state.dir, state.namespace);
    await raw.clear();
    for (const opened of [...state.raws, raw]) await opened.close();
    await state.remove();
  });
  return {
    get dir() {
      return state.dir;
    },
    get namespace() {
      return state.namespace;
    },
    get encryptionKey() {
      return state.encryptionKey;
    },
    get log() {
      return state.log;
    },
    async open(overrides: { encryptionKey?: string; previousKeys?: string; now?: () => Date } = {}): Promise<Store> {
      const store = await backend.open({
        dir: state.dir,
        namespace: state.namespace,
        logger: state.log.logger,
        encryptionKey: state.encryptionKey,
        ...overrides,
      });
      state.stores.push(store);
      return store;
    },
    /** Raw access to this test's namespace; closed after the test. */
    async raw(): Promise<RawBackend> {
      const raw = await backend.raw(state.dir, state.namespace);
      state.raws.push(raw);
      return raw;
    },
  };
}

function sqliteAll(db: sqlite3.Database, sql: string, params: unknown[] = []) {
  return new Promise<Array<Record<string, unknown>>>((resolve, reject) => {
    db.all<Record<string, unknown>>(sql, params, (error, rows) => (error ? reject(error) : resolve(rows)));
  });
}

async function rawSqlite(file: string, namespace: string): Promise<RawBackend> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const opened = new sqlite3.Database(file, (error) => (error ? reject(error) : resolve(opened)));
  });
  db.configure('busyTimeout', 5_000);
  const tables = async () =>
    (await sqliteAll(db, "SELECT name FROM sqlite_master WHERE type = 'table'")).map((row) => String(row.name));
  const prefix = `${namespace}:`;
  return {
    async entries() {
      const names = await tables();
      const entries: Array<{ key: string; value: string }> = [];
      if (names.includes('viam_billing_kv')) {
        for (const row of await sqliteAll(db, 'SELECT key, value FROM viam_billing_kv')) {
          entries.push({ key: String(row.key), value: String(row.value) });
        }
      }
      if (names.includes('viam_billing_claims')) {
        for (const row of await sqliteAll(db, 'SELECT * FROM viam_billing_claims')) {
          entries.push({ key: String(row.key), value: JSON.stringify(row) });
        }
      }
      if (names.includes('viam_billing_log')) {
        for (const row of await sqliteAll(db, 'SELECT key, entry FROM viam_billing_log')) {
          entries.push({ key: String(row.key), value: String(row.entry) });
        }
      }
      if (names.includes('viam_billing_due')) {
        for (const row of await sqliteAll(db, 'SELECT queue, member FROM viam_billing_due')) {
          entries.push({ key: String(row.member), value: String(row.queue) });
        }
      }
      return entries.filter((entry) => entry.key.startsWith(prefix));
    },
    async put(key, value) {
      await sqliteAll(
        db,
        'INSERT INTO viam_billing_kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
        [key, value],
      );
    },
    async clear() {
      // The file lives in the test's temp dir and goes with it.
    },
    close: () => new Promise<void>((resolve, reject) => db.close((error) => (error ? reject(error) : resolve()))),
  };
}

async function rawRedis(url: string, namespace: string): Promise<RawBackend> {
  const client = createClient({ url });
  await client.connect();
  const keys = async (type?: string) => {
    const found = new Set<string>();
    let cursor = '0';
    do {
      const reply = await client.scan(cursor, { MATCH: `${namespace}:*`, COUNT: 500, ...(type ? { TYPE: type } : {}) });
      cursor = String(reply.cursor);
      for (const key of reply.keys) found.add(String(key));
    } while (cursor !== '0');
    return [...found];
  };
  const internal = `${namespace}:~`;
  return {
    /** Records and claims (strings), logs (lists) and due entries; the store's own indexes and tombstones are left out. */
    async entries() {
      const entries: Array<{ key: string; value: string }> = [];
      for (const key of await keys('string')) {
        if (!key.startsWith(internal)) entries.push({ key, value: String(await client.get(key)) });
      }
      for (const key of await keys('list')) {
        for (const entry of await client.lRange(key, 0, -1)) entries.push({ key, value: String(entry) });
      }
      for (const key of await keys('zset')) {
        if (!key.startsWith(`${internal}due:`)) continue;
        for (const member of await client.zRange(key, 0, -1)) entries.push({ key: String(member), value: key });
      }
      return entries;
    },
    /** Writes as if the app had written this value (then damaged it): the key joins its workspace's index. */
    async put(key, value) {
      await client.set(key, value);
      const logical = key.slice(namespace.length + 1);
      const match = /^ws:([^:]+):/.exec(logical);
      if (match) {
        await client.zAdd(`${internal}keys:${match[1]}`, { score: 0, value: logical });
        await client.zAdd(`${internal}workspaces`, { score: 0, value: match[1] as string });
      }
    },
    ttlMs: async (key) => Number(await client.pTTL(key)),
    async clear() {
      const all = await keys();
      if (all.length > 0) await client.unlink(all);
    },
    async close() {
      await client.close();
    },
  };
}

interface PgPool {
  query(sql: string, values?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
  end(): Promise<void>;
}

async function rawPostgres(url: string, namespace: string): Promise<RawBackend> {
  const { Pool } = require('pg') as { Pool: new (config: { connectionString: string; max: number }) => PgPool };
  const pool = new Pool({ connectionString: url, max: 2 });
  const prefix = `${namespace}:`;
  const exists = async (table: string) =>
    (await pool.query('SELECT to_regclass($1) AS name', [`public.${table}`])).rows[0]?.name !== null;
  return {
    async entries() {
      const entries: Array<{ key: string; value: string }> = [];
      if (await exists('viam_billing_kv')) {
        const { rows } = await pool.query('SELECT key, value FROM public.viam_billing_kv WHERE starts_with(key, $1)', [
          prefix,
        ]);
        for (const row of rows) entries.push({ key: String(row.key), value: String(row.value) });
      }
      if (await exists('viam_billing_claims')) {
        const { rows } = await pool.query('SELECT * FROM public.viam_billing_claims WHERE starts_with(key, $1)', [
          prefix,
        ]);
        for (const row of rows) entries.push({ key: String(row.key), value: JSON.stringify(row) });
      }
      if (await exists('viam_billing_log')) {
        const { rows } = await pool.query('SELECT key, entry FROM public.viam_billing_log WHERE starts_with(key, $1)', [
          prefix,
        ]);
        for (const row of rows) entries.push({ key: String(row.key), value: String(row.entry) });
      }
      if (await exists('viam_billing_due')) {
        const { rows } = await pool.query(
          'SELECT queue, member FROM public.viam_billing_due WHERE starts_with(member, $1)',
          [prefix],
        );
        for (const row of rows) entries.push({ key: String(row.member), value: String(row.queue) });
      }
      return entries;
    },
    async put(key, value) {
      await pool.query(
        'INSERT INTO public.viam_billing_kv (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value',
        [key, value],
      );
    },
    async clear() {
      if (await exists('viam_billing_kv')) {
        await pool.query('DELETE FROM public.viam_billing_kv WHERE starts_with(key, $1)', [prefix]);
      }
      if (await exists('viam_billing_claims')) {
        await pool.query('DELETE FROM public.viam_billing_claims WHERE starts_with(key, $1)', [prefix]);
      }
      for (const [table, column] of [
        ['viam_billing_log', 'key'],
        ['viam_billing_due', 'member'],
        ['viam_billing_workspaces', 'name'],
      ] as const) {
        if (await exists(table))
          await pool.query(`DELETE FROM public.${table} WHERE starts_with(${column}, $1)`, [prefix]);
      }
    },
    close: () => pool.end(),
  };
}

/** Runs a promise expected to fail with a StoreError and returns the error for inspection. */
export async function storeErrorOf(promise: Promise<unknown>): Promise<{ kind: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error && error.name === 'StoreError')
      return error as unknown as { kind: string; message: string };
    throw error;
  }
  throw new Error('expected a StoreError, but the promise resolved');
}

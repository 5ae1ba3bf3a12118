/**
 * The stores the scale bench runs on (and the ack bench's app, on the first shared one offered): an SQLite
 * file in the run's folder always, and Redis and PostgreSQL when REDIS_URL and DATABASE_URL are set. The app has no namespace setting (it always uses
 * `viam-billing`), and tests share that namespace on those servers, so the bench keeps to a store of
 * its own on the same server: Redis database 15 (BENCH_SCALE_REDIS_DB to change it) and the PostgreSQL
 * database `<name>_bench_scale` beside the one named, created for the run and dropped after it. Its
 * namespace is cleared afterwards, and a Redis database already holding someone else's keys is refused.
 * URLs are never logged: they may hold passwords.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { createClient } from '@keyv/redis';
import { Client } from 'pg';
import { DEFAULT_NAMESPACE } from '../../../src/store/keyv';
import type { LoaderTarget } from './bulk-load';

/** The client type as our calls build it (createClient's default type parameters differ). */
function newRedisClient(url: string) {
  return createClient({ url });
}
type RedisClient = ReturnType<typeof newRedisClient>;

export type ScaleBackend = 'sqlite' | 'redis' | 'postgres';

export interface BackendTarget {
  kind: ScaleBackend;
  /** STORE_URL for the replicas and the bench's own store handles. */
  storeUrl: string;
  loader: LoaderTarget;
  /** Safe to print: where the data goes, without credentials. */
  describe: string;
  /** Readies an empty namespace (creating the database where needed). */
  prepare(): Promise<void>;
  /** Removes everything the run stored. */
  clear(): Promise<void>;
}

/** The namespace the app always uses; the bench's marker in it says the data there is the bench's own. */
export const NAMESPACE = DEFAULT_NAMESPACE;
const MARKER = `${NAMESPACE}:meta:bench-scale`;

/** The stores to run on: every one the environment offers, or the chosen ones, each of which it must offer. */
export function scaleBackends(
  env: NodeJS.ProcessEnv,
  workDir: string,
  chosen?: readonly ScaleBackend[],
): BackendTarget[] {
  const offered: BackendTarget[] = [sqliteTarget(path.join(workDir, 'scale-sqlite', 'store.sqlite'))];
  if (env.REDIS_URL) offered.push(redisTarget(env.REDIS_URL, Number(env.BENCH_SCALE_REDIS_DB ?? 15)));
  if (env.DATABASE_URL) offered.push(postgresTarget(env.DATABASE_URL));
  if (chosen === undefined) return offered;
  const missing = chosen.filter((kind) => !offered.some((target) => target.kind === kind));
  if (missing.length > 0) {
    const names = missing.map((kind) => (kind === 'redis' ? 'REDIS_URL' : 'DATABASE_URL')).join(' and ');
    throw new Error(`--stores names ${missing.join(' and ')}: set ${names} to run on it`);
  }
  return offered.filter((target) => chosen.includes(target.kind));
}

function sqliteTarget(file: string): BackendTarget {
  return {
    kind: 'sqlite',
    storeUrl: `sqlite://${file}`,
    loader: { kind: 'sqlite', file },
    describe: 'an SQLite file in the run folder',
    prepare: async () => {
      await rm(path.dirname(file), { recursive: true, force: true });
      await mkdir(path.dirname(file), { recursive: true });
    },
    clear: () => rm(path.dirname(file), { recursive: true, force: true }),
  };
}

function redisTarget(baseUrl: string, db: number): BackendTarget {
  if (!Number.isInteger(db) || db < 0) throw new Error('BENCH_SCALE_REDIS_DB must be a database number');
  const url = new URL(baseUrl);
  url.pathname = `/${db}`;
  const storeUrl = url.toString();
  const withClient = async <T>(work: (client: RedisClient) => Promise<T>): Promise<T> => {
    const client = newRedisClient(storeUrl);
    client.on('error', () => undefined);
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.close();
    }
  };
  const clearNamespace = (client: RedisClient) => unlinkMatching(client, `${NAMESPACE}:*`);
  return {
    kind: 'redis',
    storeUrl,
    loader: { kind: 'redis', url: storeUrl },
    describe: `Redis database ${db}`,
    prepare: () =>
      withClient(async (client) => {
        const keys = Number(await client.dbSize());
        if (keys > 0 && Number(await client.exists(MARKER)) === 0) {
          throw new Error(
            `Redis database ${db} already holds ${keys} keys that are not the bench's; set BENCH_SCALE_REDIS_DB to an empty database`,
          );
        }
        // A run that was interrupted left its data behind: it is the bench's own, so it goes.
        await clearNamespace(client);
        await client.set(MARKER, String(Date.now()));
      }),
    clear: () => withClient(clearNamespace),
  };
}

async function unlinkMatching(client: RedisClient, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const reply = await client.scan(cursor, { MATCH: pattern, COUNT: 5_000 });
    cursor = String(reply.cursor);
    const keys = reply.keys.map(String);
    if (keys.length > 0) await client.unlink(keys);
  } while (cursor !== '0');
}

function postgresTarget(baseUrl: string): BackendTarget {
  const admin = new URL(baseUrl);
  const base = decodeURIComponent(admin.pathname.replace(/^\//, '')) || 'postgres';
  const database = `${base}_bench_scale`.replace(/[^A-Za-z0-9_]/g, '_');
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;
  const onAdmin = async (sql: string) => {
    const client = new Client({ connectionString: baseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    kind: 'postgres',
    storeUrl: url.toString(),
    loader: { kind: 'postgres', url: url.toString() },
    describe: `PostgreSQL database ${database}`,
    // The database is the bench's alone: a leftover from an interrupted run is dropped and made anew.
    prepare: async () => {
      await onAdmin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await onAdmin(`CREATE DATABASE "${database}"`);
    },
    clear: () => onAdmin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`),
  };
}

import type { Deserialize, Serialize } from 'keyv';
import type { Logger } from '../logger';
import type { BackendDriver, ClaimDriver, DueDriver, LogDriver, StoredClaim, WriteOutcome } from './backends/driver';
import { openPostgresDriver } from './backends/postgres';
import { openRedisDriver } from './backends/redis';
import type { KeyvCodec } from './backends/shared';
import { openSqliteDriver } from './backends/sqlite';
import { describeCause, StoreError } from './errors';
import type { BackendKind, BackendSpec } from './store-url';

/**
 * A stored value that is there but is not a value we can decode. It travels up to the records layer,
 * which reports it as corrupt, instead of looking like a missing key (and being overwritten).
 */
export class UnreadableValue {
  constructor(readonly reason: string) {}
}

/**
 * Keyv over the configured backend, with every failure turned into StoreError('unavailable') and
 * logged (operation and key, never the value). Keys are logical; the namespace is added underneath.
 * Reads go through Keyv; writes go through the backend's own compare-and-set (see BackendDriver).
 */
export interface Kv {
  readonly backend: BackendKind;
  readonly namespace: string;
  /** The decoded value, undefined when absent, or an UnreadableValue. */
  get(key: string): Promise<unknown>;
  /** Several values in one round trip, in the order of `keys`. */
  getMany(keys: readonly string[]): Promise<unknown[]>;
  /** The value exactly as stored, for compare-and-set; decode it with decodeRaw. */
  readRaw(key: string): Promise<string | undefined>;
  /** See BackendDriver.write. `next` is a value (encoded here), null to delete. */
  write(key: string, next: unknown, expected?: string | null): Promise<WriteOutcome>;
  /** Writes raw text as it is (moving an unreadable value aside). */
  writeRaw(key: string, raw: string): Promise<WriteOutcome>;
  listKeys(prefix: string): Promise<string[]>;
  listWorkspaces(after: string | undefined, limit: number): Promise<string[]>;
  deleteWorkspace(workspaceKey: string, nowMs: number): Promise<number>;
  reviveWorkspace(workspaceKey: string): Promise<boolean>;
  isDeleted(workspaceKey: string): Promise<boolean>;
  readonly claims: ClaimDriver;
  readonly log: LogDriver;
  readonly due: DueDriver;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Keyv's envelope around a value, as Keyv itself writes it, so Keyv reads what the drivers write. */
export function encodeRaw(value: unknown): string {
  return JSON.stringify({ value });
}

/** A raw stored text back to its value, or an UnreadableValue; what Keyv's read path does with our codec. */
export function decodeRaw(raw: string | undefined): unknown {
  if (raw === undefined) return undefined;
  return (TOLERANT_CODEC.deserialize(raw) as { value: unknown }).value;
}

export const DEFAULT_NAMESPACE = 'viam-billing';

export async function openKv(options: { spec: BackendSpec; namespace?: string; logger: Logger }): Promise<Kv> {
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  assertNamespace(namespace);
  const { spec } = options;
  const logger = options.logger.child({ component: 'store', backend: spec.kind });
  const onError = (error: unknown) => logger.warn({ cause: describeCause(error) }, 'store backend reported an error');
  const driverOptions = { namespace, codec: TOLERANT_CODEC, onError };

  let driver: BackendDriver;
  try {
    switch (spec.kind) {
      case 'sqlite':
        driver = await openSqliteDriver({ ...driverOptions, file: spec.file });
        break;
      case 'redis':
        driver = await openRedisDriver({ ...driverOptions, url: spec.url });
        break;
      case 'postgres':
        driver = await openPostgresDriver({ ...driverOptions, url: spec.url });
        break;
    }
  } catch (error) {
    logger.error({ cause: describeCause(error) }, 'could not open the store');
    throw new StoreError('unavailable', openFailureMessage(spec));
  }
  logger.info(spec.kind === 'sqlite' ? { file: spec.file } : {}, 'store opened');
  return guardDriver(driver, namespace, logger);
}

function openFailureMessage(spec: BackendSpec): string {
  switch (spec.kind) {
    case 'sqlite':
      return `Could not open the SQLite store at ${spec.file}. Check that the folder exists or can be created and is writable; details are in the log.`;
    case 'redis':
      return 'Could not connect to the Redis store named by STORE_URL. Check that Redis is running and reachable and the credentials are right; details are in the log.';
    case 'postgres':
      return 'Could not connect to the PostgreSQL store named by STORE_URL. Check that the database is running and reachable, the credentials are right and the user may create tables; details are in the log.';
  }
}

/** Namespaces become part of every key and of Redis scan patterns, so they stay plain. */
function assertNamespace(namespace: string): void {
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/i.test(namespace) || namespace === 'ws' || namespace === 'claims') {
    throw new StoreError('invalid', 'The store namespace must be letters, digits and dashes.');
  }
}

/**
 * Plain JSON both ways. Text that does not parse, or is not Keyv's `{ value }` envelope, comes back as
 * an UnreadableValue. `expires` is dropped on purpose: our records never expire, and Keyv deletes an
 * entry whose `expires` has passed when it is read, which would silently destroy a damaged record.
 */
const TOLERANT_CODEC: KeyvCodec = {
  serialize: ((data: unknown) => JSON.stringify(data)) as Serialize,
  deserialize: ((raw: string) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return { value: new UnreadableValue('the stored text is not JSON') };
    }
    if (parsed === null || typeof parsed !== 'object' || !('value' in parsed)) {
      return { value: new UnreadableValue('the stored JSON is not a Keyv entry') };
    }
    return { value: (parsed as { value: unknown }).value };
  }) as Deserialize,
};

const STORAGE_FULL =
  'The app could not save this because its storage is full. Nothing was changed; tell your admin so they can free some space.';
const STORAGE_READ_ONLY =
  'The app could not save this because its storage is read-only. Nothing was changed; tell your admin so they can make it writable.';

/**
 * A backend that answers but refuses writes (a full disk, a read-only file) is not "unreachable", and
 * the fix is an operator's, not a retry: say which. Codes: SQLite, Node's fs, PostgreSQL's disk_full
 * (53100), and Redis at its maxmemory (an "OOM …" reply).
 */
function failureFor(cause: { code?: string; message: string }): StoreError {
  if (
    cause.code === 'SQLITE_FULL' ||
    cause.code === 'ENOSPC' ||
    cause.code === '53100' ||
    /^OOM /.test(cause.message)
  ) {
    return new StoreError('unavailable', STORAGE_FULL);
  }
  if (cause.code === 'SQLITE_READONLY' || cause.code === 'EROFS')
    return new StoreError('unavailable', STORAGE_READ_ONLY);
  return new StoreError('unavailable');
}

function guardDriver(driver: BackendDriver, namespace: string, logger: Logger): Kv {
  let closed = false;
  async function guard<T>(operation: string, key: string | undefined, work: () => Promise<T>): Promise<T> {
    if (closed) throw new StoreError('unavailable', 'The store is closed.');
    try {
      return await work();
    } catch (error) {
      if (error instanceof StoreError) throw error;
      const cause = describeCause(error);
      logger.error({ operation, storeKey: key, cause }, 'store operation failed');
      throw failureFor(cause);
    }
  }

  const claims: ClaimDriver = {
    tryClaim: (key: string, claim: StoredClaim, ttlMs: number, nowMs: number) =>
      guard('claim', key, () => driver.claims.tryClaim(key, claim, ttlMs, nowMs)),
    release: (key: string, owner: string) => guard('release claim', key, () => driver.claims.release(key, owner)),
    read: (key: string, nowMs: number) => guard('read claim', key, () => driver.claims.read(key, nowMs)),
  };
  const log: LogDriver = {
    append: (key, entry, capacity) => guard('append', key, () => driver.log.append(key, entry, capacity)),
    latest: (key, count) => guard('read log', key, () => driver.log.latest(key, count)),
  };
  const due: DueDriver = {
    set: (queue, member, dueAtMs) => guard('schedule', member, () => driver.due.set(queue, member, dueAtMs)),
    remove: (queue, member) => guard('unschedule', member, () => driver.due.remove(queue, member)),
    take: (queue, nowMs, limit, leaseMs) =>
      guard('take due', queue, () => driver.due.take(queue, nowMs, limit, leaseMs)),
    get: (queue, member) => guard('read due', member, () => driver.due.get(queue, member)),
    size: (queue) => guard('count due', queue, () => driver.due.size(queue)),
  };

  return {
    backend: driver.kind,
    namespace,
    claims,
    log,
    due,
    get: (key) => guard('get', key, () => driver.keyv.get(key)),
    getMany: (keys) =>
      keys.length === 0 ? Promise.resolve([]) : guard('get many', keys[0], () => driver.keyv.getMany([...keys])),
    readRaw: (key) => guard('read raw', key, () => driver.readRaw(key)),
    write: (key, next, expected) =>
      guard('write', key, () => driver.write(key, next === null ? null : encodeRaw(next), expected)),
    writeRaw: (key, raw) => guard('write raw', key, () => driver.write(key, raw)),
    listKeys: (prefix) => guard('list', prefix, () => driver.listKeys(prefix)),
    listWorkspaces: (after, limit) => guard('list workspaces', after, () => driver.listWorkspaces(after, limit)),
    deleteWorkspace: (wk, nowMs) => guard('delete workspace', wk, () => driver.deleteWorkspace(wk, nowMs)),
    reviveWorkspace: (wk) => guard('revive workspace', wk, () => driver.reviveWorkspace(wk)),
    isDeleted: (wk) => guard('read tombstone', wk, () => driver.isDeleted(wk)),
    ping: () => guard('ping', undefined, () => driver.ping()),
    async close() {
      if (closed) return;
      closed = true;
      try {
        await driver.close();
      } catch (error) {
        // Closing is best effort at shutdown; a failure here must not hide the reason we are stopping.
        logger.warn({ cause: describeCause(error) }, 'store did not close cleanly');
      }
    },
  };
}

import { z } from 'zod';
import type { Logger } from '../logger';
import { StoreError } from './errors';
import { checkedLength, keyTimestamp, type WorkspaceRef, workspacePrefix, workspaceScopedKey } from './keys';
import type { Kv } from './keyv';
import { decodeRaw, UnreadableValue } from './keyv';
import type { KeyedMutex } from './mutex';

/**
 * Versioned records. What is stored is `{ v, data }`; on read the envelope and then `data` are
 * validated. A value that fails is never treated as missing (which would let the next write replace
 * it): it is logged by key name and reason and reported as StoreError('corrupt'), and stays where it
 * is until someone resets it, which moves it aside first.
 */

export interface RecordType<T> {
  /** Names the key space, `ws:<workspaceKey>:<kind>:<id>`; lower-case letters, digits and dashes. */
  kind: string;
  /** The schema version written now; bump it when the shape changes and handle older ones in `upgrade`. */
  version: number;
  schema: z.ZodType<T>;
  /** Turns data saved under an older version into the current shape (before validation). */
  upgrade?: (fromVersion: number, data: unknown) => unknown;
  /** One sentence for the user when a record of this type cannot be read: what it is and what to do. */
  unreadableMessage?: string;
}

const envelopeSchema = z.object({ v: z.number().int().positive(), data: z.unknown() });

/** Kinds the store itself uses inside a workspace's space. */
const RESERVED_KINDS = new Set(['workspace', 'corrupt']);
const KIND = /^[a-z][a-z0-9-]{0,31}$/;

export function assertRecordType(type: RecordType<unknown>, options: { allowReserved?: boolean } = {}): void {
  if (!KIND.test(type.kind) || (!options.allowReserved && RESERVED_KINDS.has(type.kind))) {
    throw new StoreError('invalid', `"${type.kind}" cannot name a record kind.`);
  }
  if (!Number.isInteger(type.version) || type.version < 1) {
    throw new StoreError('invalid', 'A record version is a positive whole number.');
  }
}

export function encodeRecord<T>(type: RecordType<T>, value: T, logger: Logger): { v: number; data: T } {
  const parsed = type.schema.safeParse(value);
  if (!parsed.success) {
    logger.error({ kind: type.kind, reason: summarizeIssues(parsed.error) }, 'refused to save an invalid record');
    throw new StoreError('invalid', `That ${type.kind} could not be saved because it is not valid.`);
  }
  return { v: type.version, data: parsed.data };
}

/** The record's data, undefined when nothing is stored, or StoreError('corrupt'). */
export function decodeRecord<T>(type: RecordType<T>, key: string, stored: unknown, logger: Logger): T | undefined {
  if (stored === undefined) return undefined;
  const fail = (reason: string): never => {
    logger.error({ storeKey: key, reason }, 'stored record is unreadable');
    throw new StoreError('corrupt', type.unreadableMessage ?? defaultUnreadableMessage(type.kind));
  };
  if (stored instanceof UnreadableValue) return fail(stored.reason);
  const envelope = envelopeSchema.safeParse(stored);
  if (!envelope.success) return fail('the value is not a versioned record');
  const { v } = envelope.data;
  let data = envelope.data.data;
  if (v > type.version)
    return fail(`it was saved by a newer version of the app (schema ${v}, this one reads ${type.version})`);
  if (v < type.version) {
    if (!type.upgrade) return fail(`schema ${v} has no upgrade to ${type.version}`);
    try {
      data = type.upgrade(v, data);
    } catch {
      return fail(`upgrading from schema ${v} failed`);
    }
  }
  const parsed = type.schema.safeParse(data);
  if (!parsed.success) return fail(summarizeIssues(parsed.error));
  return parsed.data;
}

function defaultUnreadableMessage(kind: string): string {
  return `Saved ${kind} data for this workspace could not be read. Nothing was changed; an admin can check the app's log, or remove it and set it up again.`;
}

/** Field paths and issue codes only: zod messages and inputs could echo stored values. */
function summarizeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.code}`)
    .join('; ');
}

/**
 * Moves whatever is stored at `key` to `ws:<wk>:corrupt:<timestamp>:<rest of key>` and deletes the
 * original, so a reset starts fresh without losing the bad value. Resolves to the backup key, if
 * anything was there.
 */
export async function moveAside(
  kv: Kv,
  ref: WorkspaceRef,
  key: string,
  at: Date,
  logger: Logger,
): Promise<string | undefined> {
  const raw = await kv.readRaw(key);
  if (raw === undefined) return undefined;
  const prefix = workspacePrefix(ref);
  const suffix = key.startsWith(prefix) ? key.slice(prefix.length) : key;
  const backupKey = checkedLength(`${prefix}corrupt:${keyTimestamp(at)}:${suffix}`);
  if ((await kv.writeRaw(backupKey, raw)) === 'gone') throw new StoreError('gone');
  // Only what was copied is removed: a value written meanwhile is someone's fresh start, not the bad one.
  await kv.write(key, null, raw);
  logger.warn({ storeKey: key, backupKey }, 'moved an unreadable record aside');
  return backupKey;
}

/**
 * Starts a record over: a readable one is simply deleted, an unreadable one is moved aside first.
 * Resolves to the backup key when there was one.
 */
export async function resetRecord<T>(
  kv: Kv,
  type: RecordType<T>,
  ref: WorkspaceRef,
  key: string,
  at: Date,
  logger: Logger,
): Promise<{ backupKey?: string }> {
  try {
    decodeRecord(type, key, await kv.get(key), logger);
  } catch (error) {
    if (!(error instanceof StoreError) || error.kind !== 'corrupt') throw error;
    const backupKey = await moveAside(kv, ref, key, at, logger);
    return backupKey === undefined ? {} : { backupKey };
  }
  await kv.write(key, null);
  return {};
}

/** What an `apply` returns to leave the stored value as it is (nothing to write). */
export const UNCHANGED: unique symbol = Symbol('unchanged');

/**
 * Attempts before a change that keeps meeting other replicas' changes gives up. A replica working
 * through a burst of its own changes to one record never pauses between them, so the other one's
 * pauses grow (to BACKOFF_CAP_MS) and their sum, about 4 s on average, outlasts such a burst.
 */
export const MAX_CAS_ATTEMPTS = 40;
const BACKOFF_CAP_MS = 250;

/**
 * Read-modify-write as a compare-and-set on the backend itself, so it holds across replicas: read the
 * raw value, apply the change, and write only if the value is still what was read. On a conflict the
 * value is read again and the change re-applied (so `apply` must be a pure function of what it is
 * given), with a short jittered pause, up to MAX_CAS_ATTEMPTS; past that StoreError('conflict').
 * A write into an uninstalled workspace fails with StoreError('gone').
 */
export async function compareAndSet<R>(
  kv: Kv,
  key: string,
  apply: (stored: unknown) => { next: unknown | null | typeof UNCHANGED; result: R },
  logger: Logger,
): Promise<R> {
  for (let attempt = 1; attempt <= MAX_CAS_ATTEMPTS; attempt++) {
    const raw = await kv.readRaw(key);
    const { next, result } = apply(decodeRaw(raw));
    if (next === UNCHANGED) return result;
    const outcome = await kv.write(key, next, raw ?? null);
    if (outcome === 'written') return result;
    if (outcome === 'gone') throw new StoreError('gone');
    // Replicas that collided back off by different amounts, so the next round usually has one winner.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, BACKOFF_CAP_MS)));
  }
  logger.warn({ storeKey: key, attempts: MAX_CAS_ATTEMPTS }, 'gave up a change after repeated conflicts');
  throw new StoreError('conflict');
}

export interface RecordListing<T> {
  records: Array<{ id: string; value: T }>;
  /** Records that exist but cannot be read; each error is already logged. */
  unreadable: Array<{ id: string; error: StoreError }>;
}

/**
 * Records of one kind under each workspace, for features that keep their own data (digest schedules,
 * budget snapshots) without touching the store's internals. Everything here is removed by
 * deleteWorkspace.
 */
export class RecordCollection<T> {
  constructor(
    private readonly kv: Kv,
    private readonly type: RecordType<T>,
    private readonly mutex: KeyedMutex,
    private readonly now: () => Date,
    private readonly logger: Logger,
  ) {
    assertRecordType(type as RecordType<unknown>);
  }

  /** The logical key of one record; also usable as a claim key that dies with the workspace. */
  key(ref: WorkspaceRef, id: string): string {
    return workspaceScopedKey(ref, this.type.kind, id);
  }

  async get(ref: WorkspaceRef, id: string): Promise<T | undefined> {
    const key = this.key(ref, id);
    return decodeRecord(this.type, key, await this.kv.get(key), this.logger);
  }

  /** Several records in one round trip to the backend, in the order of `ids`. */
  async getMany(ref: WorkspaceRef, ids: readonly string[]): Promise<Array<T | undefined>> {
    const keys = ids.map((id) => this.key(ref, id));
    const stored = await this.kv.getMany(keys);
    return keys.map((key, index) => decodeRecord(this.type, key, stored[index], this.logger));
  }

  async set(ref: WorkspaceRef, id: string, value: T): Promise<void> {
    const key = this.key(ref, id);
    const encoded = encodeRecord(this.type, value, this.logger);
    const outcome = await this.mutex.run(key, () => this.kv.write(key, encoded));
    if (outcome === 'gone') throw new StoreError('gone');
  }

  /**
   * Read-modify-write, atomic across replicas (see compareAndSet; the in-process mutex only saves
   * this process's own changes from colliding with each other). `change` gets the current value
   * (undefined when absent) and returns the new one, or undefined to delete it; it may run more than
   * once, so it must not have side effects.
   */
  async update(
    ref: WorkspaceRef,
    id: string,
    change: (current: T | undefined) => T | undefined,
  ): Promise<T | undefined> {
    const key = this.key(ref, id);
    return this.mutex.run(key, () =>
      compareAndSet(
        this.kv,
        key,
        (stored) => {
          const current = decodeRecord(this.type, key, stored, this.logger);
          const next = change(current);
          // Nothing was there and nothing is wanted: nothing to write.
          if (next === undefined) return { next: current === undefined ? UNCHANGED : null, result: next };
          return { next: encodeRecord(this.type, next, this.logger), result: next };
        },
        this.logger,
      ),
    );
  }

  /** True when there was a record to delete. */
  async delete(ref: WorkspaceRef, id: string): Promise<boolean> {
    const key = this.key(ref, id);
    return this.mutex.run(key, () =>
      compareAndSet(
        this.kv,
        key,
        (stored) => (stored === undefined ? { next: UNCHANGED, result: false } : { next: null, result: true }),
        this.logger,
      ),
    );
  }

  /** The IDs of this workspace's records of this type that start with `idPrefix`, sorted; values are not read. */
  async listIds(ref: WorkspaceRef, idPrefix = ''): Promise<string[]> {
    const prefix = `${workspacePrefix(ref)}${this.type.kind}:`;
    return (await this.kv.listKeys(`${prefix}${idPrefix}`)).map((key) => key.slice(prefix.length)).sort();
  }

  async list(ref: WorkspaceRef): Promise<RecordListing<T>> {
    const prefix = `${workspacePrefix(ref)}${this.type.kind}:`;
    const keys = (await this.kv.listKeys(prefix)).sort();
    const listing: RecordListing<T> = { records: [], unreadable: [] };
    const stored = await this.kv.getMany(keys);
    for (const [index, key] of keys.entries()) {
      const id = key.slice(prefix.length);
      try {
        const value = decodeRecord(this.type, key, stored[index], this.logger);
        // Deleted between the scan and the read.
        if (value !== undefined) listing.records.push({ id, value });
      } catch (error) {
        if (!(error instanceof StoreError) || error.kind !== 'corrupt') throw error;
        listing.unreadable.push({ id, error });
      }
    }
    return listing;
  }

  /** Deletes one record to start it over; an unreadable one is moved aside first. Resolves to the backup key. */
  async reset(ref: WorkspaceRef, id: string): Promise<{ backupKey?: string }> {
    const key = this.key(ref, id);
    return this.mutex.run(key, () => resetRecord(this.kv, this.type, ref, key, this.now(), this.logger));
  }
}

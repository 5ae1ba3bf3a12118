import type Keyv from 'keyv';
import type { BackendKind } from '../store-url';

/**
 * One backend as the rest of the store sees it. Keyv reads plain records; everything that needs an
 * engine primitive Keyv does not offer (compare-and-set, indexes, set-if-absent claims, an
 * append-only log, a due-time order) is done with the backend's own client on the same connection.
 * All keys here are logical: the driver adds the namespace.
 *
 * Keys inside a workspace (`ws:<wk>:…`) are tracked per workspace by the engine itself (a Redis set,
 * a key range of an ordered index in SQL), so listing or deleting one workspace never reads another's
 * keys. A deleted workspace leaves a tombstone: every later write into it answers 'gone' until it is
 * revived by a new install.
 */
export interface BackendDriver {
  readonly kind: BackendKind;
  readonly keyv: Keyv<unknown>;
  /**
   * Writes `next` (Keyv's raw text, or null to delete) at `key`, atomically on the backend, when what
   * is stored is still `expected` (raw text; null = absent; undefined = whatever is there).
   * 'conflict' when it was not; 'gone' when the key's workspace has been deleted.
   */
  write(key: string, next: string | null, expected?: string | null): Promise<WriteOutcome>;
  /** Logical keys of one workspace that start with `prefix` (which starts with `ws:<wk>:`), in no particular order. */
  listKeys(prefix: string): Promise<string[]>;
  /** The value exactly as stored. */
  readRaw(key: string): Promise<string | undefined>;
  /**
   * Workspace keys (`T123`, `E1.T123`) with anything stored and not deleted, in byte order, after
   * `after` (exclusive), at most `limit`.
   */
  listWorkspaces(after: string | undefined, limit: number): Promise<string[]>;
  /**
   * Tombstones the workspace, then removes every record, claim, log and due entry it has. A write
   * racing this either lands before (and is removed) or answers 'gone'. Resolves to how many went.
   */
  deleteWorkspace(workspaceKey: string, nowMs: number): Promise<number>;
  /** Lifts the tombstone so a reinstall can store again; true when there was one. */
  reviveWorkspace(workspaceKey: string): Promise<boolean>;
  /** True when the workspace was deleted and not revived. */
  isDeleted(workspaceKey: string): Promise<boolean>;
  readonly claims: ClaimDriver;
  readonly log: LogDriver;
  readonly due: DueDriver;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type WriteOutcome = 'written' | 'conflict' | 'gone';

export interface StoredClaim {
  owner: string;
  claimedAtMs: number;
  expiresAtMs: number;
}

/** Set-if-absent with expiry, done atomically by the backend so replicas cannot both win. */
export interface ClaimDriver {
  /** True when this call created the claim or took over an expired one. */
  tryClaim(key: string, claim: StoredClaim, ttlMs: number, nowMs: number): Promise<boolean>;
  /** True when the claim existed and belonged to `owner`. */
  release(key: string, owner: string): Promise<boolean>;
  /** The live claim, or undefined when there is none or it expired. */
  read(key: string, nowMs: number): Promise<StoredClaim | undefined>;
}

/**
 * Append-only entries under a key (a Redis list, a row per entry in SQL): appends never read or
 * rewrite what is there, so concurrent appends from any number of replicas are all kept.
 */
export interface LogDriver {
  /** Adds one entry; the oldest beyond `capacity` may be dropped. 'gone' when the workspace was deleted. */
  append(key: string, entry: string, capacity: number): Promise<'written' | 'gone'>;
  /** The newest `count` entries, newest first. */
  latest(key: string, count: number): Promise<string[]>;
}

/**
 * A due-time index: members of a queue ordered by when they are next due (a Redis sorted set, an
 * indexed table in SQL). Members that are workspace keys (`ws:<wk>:…`) are removed with their
 * workspace, and refused ('gone') once it is deleted.
 */
export interface DueDriver {
  /** Sets or moves the member's due time. */
  set(queue: string, member: string, dueAtMs: number): Promise<'written' | 'gone'>;
  /** True when the member was there. */
  remove(queue: string, member: string): Promise<boolean>;
  /**
   * Atomically takes up to `limit` members due at or before `nowMs`, earliest first, and moves each to
   * `nowMs + leaseMs`, so no other caller takes it until then (a crashed taker's work comes back).
   * Resolves to the members with the due time they had. Costs O(taken + log N).
   */
  take(queue: string, nowMs: number, limit: number, leaseMs: number): Promise<DueEntry[]>;
  /** The member's due time, or undefined. */
  get(queue: string, member: string): Promise<number | undefined>;
  /** How many members the queue holds. */
  size(queue: string): Promise<number>;
}

export interface DueEntry {
  member: string;
  dueAtMs: number;
}

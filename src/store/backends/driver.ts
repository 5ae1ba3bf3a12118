import type Keyv from 'keyv';
import type { BackendKind } from '../store-url';

/**
 * One backend as the rest of the store sees it: a Keyv for plain records, plus the few things Keyv
 * cannot do portably (prefix scans, set-if-absent claims, raw reads), done with the backend's own
 * client on the same connection. All keys here are logical: the driver adds the namespace.
 */
export interface BackendDriver {
  readonly kind: BackendKind;
  readonly keyv: Keyv<unknown>;
  /** Logical keys that start with `prefix`, in no particular order. */
  listKeys(prefix: string): Promise<string[]>;
  /** Deletes every record whose logical key starts with `prefix`; resolves to how many went. */
  deleteByPrefix(prefix: string): Promise<number>;
  /** The value exactly as stored, for moving an unreadable record aside. */
  readRaw(key: string): Promise<string | undefined>;
  writeRaw(key: string, raw: string): Promise<void>;
  readonly claims: ClaimDriver;
  ping(): Promise<void>;
  close(): Promise<void>;
}

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
  deleteByPrefix(prefix: string): Promise<number>;
}

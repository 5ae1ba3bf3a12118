import type { Deserialize, Serialize } from 'keyv';
import type { StoredClaim } from './driver';

/** Table names are ours (not Keyv's default `keyv`) so an operator can tell what a table belongs to. */
export const KV_TABLE = 'viam_billing_kv';
export const CLAIMS_TABLE = 'viam_billing_claims';

/** How values are turned into text for Keyv; chosen by the caller so unreadable values can be flagged. */
export interface KeyvCodec {
  serialize: Serialize;
  deserialize: Deserialize;
}

/** Every backend lays keys out as `<namespace>:<logical key>`, so one scan pattern fits all of them. */
export function physicalKey(namespace: string, key: string): string {
  return `${namespace}:${key}`;
}

export function stripNamespace(namespace: string, physical: string): string {
  const prefix = `${namespace}:`;
  return physical.startsWith(prefix) ? physical.slice(prefix.length) : physical;
}

/** A claims-table row; SQL drivers return BIGINT as text, hence the conversions. */
export function claimFromRow(row: Record<string, unknown>): StoredClaim {
  return {
    owner: String(row.owner),
    claimedAtMs: Number(row.claimed_at),
    expiresAtMs: Number(row.expires_at),
  };
}

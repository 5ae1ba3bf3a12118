import type { Deserialize, Serialize } from 'keyv';
import type { StoredClaim } from './driver';

/** Table names are ours (not Keyv's default `keyv`) so an operator can tell what a table belongs to. */
export const KV_TABLE = 'viam_billing_kv';
export const CLAIMS_TABLE = 'viam_billing_claims';
/** One row per workspace that has anything stored; `deleted_at` set is the uninstall tombstone. */
export const WORKSPACES_TABLE = 'viam_billing_workspaces';
/** Append-only entries (audit trails), one row each. */
export const LOG_TABLE = 'viam_billing_log';
/** The due-time index of the scheduling core. */
export const DUE_TABLE = 'viam_billing_due';

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

const WORKSPACE_SPACE = 'ws:';

/**
 * The workspace key (`T123`, `E1.T123`) a logical key belongs to, or undefined for keys outside any
 * workspace (`meta:…`). Duplicated from ../keys on purpose: drivers must not depend on the layer above.
 */
export function workspaceOfKey(logicalKey: string): string | undefined {
  if (!logicalKey.startsWith(WORKSPACE_SPACE)) return undefined;
  const end = logicalKey.indexOf(':', WORKSPACE_SPACE.length);
  return end <= WORKSPACE_SPACE.length ? undefined : logicalKey.slice(WORKSPACE_SPACE.length, end);
}

/** The logical prefix of everything a workspace holds. */
export function workspaceKeyPrefix(workspaceKey: string): string {
  return `${WORKSPACE_SPACE}${workspaceKey}:`;
}

/**
 * The prefix and a string above every string that starts with it: the prefix up to its last character
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

/** Due rows come back in no order from UPDATE … RETURNING; callers get them earliest first. */
export function dueEntriesFromRows(rows: Array<Record<string, unknown>>, namespace: string) {
  return rows
    .map((row) => ({ member: stripNamespace(namespace, String(row.member)), dueAtMs: Number(row.previous_due_at) }))
    .sort((a, b) => a.dueAtMs - b.dueAtMs || (a.member < b.member ? -1 : 1));
}
